package ai.sovereign.backup.security;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The token the backup-service sends to the services it calls (the ingestion service's vectors endpoints): signed
 * by the platform's {@link ServiceTokenCodec} (the same shared secret the callee's {@code ServiceTokenFilter}
 * verifies), subject {@value #SUBJECT}, tenant {@value #TENANT}, role {@code service}, short-lived, and reused while
 * more than half of its lifetime is left (as the gateway does).
 */
public final class OutboundToken implements Supplier<String> {

    public static final String SUBJECT = "backup-service";
    public static final String TENANT = "_platform";
    static final Duration TTL = Duration.ofMinutes(5);

    private final ServiceTokenCodec codec;
    private String token;
    private long renewAtNanos;

    public OutboundToken(ServiceTokenCodec codec) {
        this.codec = codec;
    }

    @Override
    public synchronized String get() {
        long now = System.nanoTime();
        if (token == null || now - renewAtNanos >= 0) {
            token = codec.issue(SUBJECT, TENANT, Role.SERVICE, TTL, SUBJECT);
            renewAtNanos = now + TTL.toNanos() / 2;
        }
        return token;
    }
}
