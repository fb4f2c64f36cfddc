package ai.sovereign.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes new keys ({@code sk-} plus 256 random bits, base64url) and their keyed hashes (HMAC-SHA256 with the server
 * secret), and compares hashes in constant time. Only hashes are ever stored.
 */
public final class KeyHasher {

    public static final String KEY_PREFIX = "sk-";
    /** How many leading characters of a key are kept in clear, so people can tell keys apart. */
    static final int VISIBLE_CHARS = 10;

    private final SecretKeySpec secret;
    private final SecureRandom random = new SecureRandom();

    public KeyHasher(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException(
                    "gateway.keys.secret must be at least 32 bytes (got " + secret.length + ")");
        }
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A fresh random key; shown once to whoever created it. */
    public String newKey() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] hash(String key) {
        return macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8));
    }

    /** One initialised MAC per thread (a MAC is not thread-safe; doFinal resets it for the next use). */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two hashes. */
    public static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    public static String visiblePrefix(String key) {
        return key.substring(0, Math.min(VISIBLE_CHARS, key.length()));
    }
}
