package ai.sovereign.testkit;

import ai.sovereign.events.KafkaAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SCRAM-SHA-512 passwords of a platform's Kafka principals: {@link KafkaAccess#ADMIN} (the broker itself and the
 * operator, a super user) and one per service of {@link KafkaAccess#SERVICES}. The test kit generates them per broker;
 * the all-in-one keeps them in its data directory; each service is given only its own.
 */
public final class KafkaCredentials {

    /** The mechanism services log in with. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final Map<String, String> passwords;

    private KafkaCredentials(Map<String, String> passwords) {
        for (String principal : principals()) {
            if (passwords.get(principal) == null || passwords.get(principal).isBlank()) {
                throw new IllegalArgumentException("no Kafka password for principal '" + principal + "'");
            }
        }
        this.passwords = Map.copyOf(passwords);
    }

    /** New random passwords for the admin and every service principal. */
    public static KafkaCredentials generate() {
        return of(Map.of());
    }

    /** {@code known} passwords by principal, and new random ones for the principals it lacks. */
    public static KafkaCredentials of(Map<String, String> known) {
        return new KafkaCredentials(GeneratedPasswords.complete(principals(), known));
    }

    /** Every principal's password, admin first. */
    public Map<String, String> all() {
        Map<String, String> ordered = new LinkedHashMap<>();
        principals().forEach(principal -> ordered.put(principal, passwords.get(principal)));
        return ordered;
    }

    /** The password of {@code principal}. */
    public String password(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal named '" + principal + "'");
        }
        return password;
    }

    /** Client settings (without {@code bootstrap.servers}) that log in as {@code principal}. */
    public Map<String, Object> clientSettings(String principal) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                MECHANISM,
                "sasl.jaas.config",
                jaas("org.apache.kafka.common.security.scram.ScramLoginModule", principal, password(principal)));
    }

    /** An admin client's settings on a broker's internal listener at {@code bootstrap}: SASL PLAIN as the admin. */
    public Map<String, Object> adminSettings(String bootstrap) {
        return Map.of(
                "bootstrap.servers",
                bootstrap,
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                jaas(
                        "org.apache.kafka.common.security.plain.PlainLoginModule",
                        KafkaAccess.ADMIN,
                        password(KafkaAccess.ADMIN)));
    }

    /** A JAAS line for {@code loginModule}; generated passwords hold no {@code "} or {@code \}. */
    static String jaas(String loginModule, String username, String password) {
        return loginModule + " required username=\"" + username + "\" password=\"" + password + "\";";
    }

    /** The admin and every service principal, admin first. */
    public static List<String> principals() {
        List<String> principals = new ArrayList<>();
        principals.add(KafkaAccess.ADMIN);
        principals.addAll(KafkaAccess.servicePrincipals());
        return principals;
    }
}
