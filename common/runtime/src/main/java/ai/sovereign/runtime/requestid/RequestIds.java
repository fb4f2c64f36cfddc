package ai.sovereign.runtime.requestid;

import io.micronaut.core.annotation.Nullable;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request-id rule of every HTTP answer, Micronaut's ({@link RequestIdFilter}) and the fast lane's: the caller's
 * {@code X-Request-Id} when it is sane, a fresh random UUID otherwise.
 */
public final class RequestIds {

    /** Ids from outside are echoed into logs and headers, so only a conservative alphabet and length pass. */
    private static final int MAX_LENGTH = 128;

    private RequestIds() {}

    /** {@code presented} when it is {@link #acceptable}, else a {@link #fresh} one. */
    public static String accept(@Nullable String presented) {
        return presented != null && acceptable(presented) ? presented : fresh();
    }

    /** {@code [A-Za-z0-9._:-]{1,128}}, checked without a regular expression (this runs once per request). */
    public static boolean acceptable(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A random (version 4) UUID. From {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s shared
     * {@code SecureRandom}: a caller may choose its own id, so nothing can rely on an id being unguessable, and the
     * shared generator is a point of contention on the event loops.
     */
    public static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least).toString();
    }
}
