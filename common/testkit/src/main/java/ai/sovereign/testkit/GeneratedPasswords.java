package ai.sovereign.testkit;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Random passwords for a fixed list of logins, keeping the ones already known (Kafka principals, database logins). */
public final class GeneratedPasswords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedPasswords() {}

    /** Every name of {@code names} in order, with its {@code known} password or a new random one. */
    public static Map<String, String> complete(List<String> names, Map<String, String> known) {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String name : names) {
            String password = known.get(name);
            passwords.put(name, password == null || password.isBlank() ? random() : password);
        }
        return passwords;
    }

    /** 192 random bits, URL-safe base64: no quote, backslash or space, so it fits JAAS lines and SQL literals. */
    static String random() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
