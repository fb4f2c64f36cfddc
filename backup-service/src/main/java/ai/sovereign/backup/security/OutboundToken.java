package ai.sovereign.backup.security;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The token the backup-service sends to the ingestion service's vectors endpoints: signed with the backup-service's
 * own key ({@link ServiceTokenSigner}), audience {@value #AUDIENCE}, subject {@value #SUBJECT}, tenant
 * {@value #TENANT}, role {@code service}, short-lived, and reused while more than half of its lifetime is left (as
 * the gateway does).
 */
public final class OutboundToken implements Supplier<String> {

    public static final String SUBJECT = "backup-service";
    public static final String AUDIENCE = "ingestion";
    public static final String TENANT = "_platform";
    static final Duration TTL = Duration.ofMinutes(5);

    private final ServiceTokenSigner signer;
    private String token;
    private long renewAtNanos;

    public OutboundToken(ServiceTokenSigner signer) {
        this.signer = signer;
    }

    @Override
    public synchronized String get() {
        long now = System.nanoTime();
        if (token == null || now - renewAtNanos >= 0) {
            token = signer.issue(AUDIENCE, SUBJECT, TENANT, Role.SERVICE, TTL);
            renewAtNanos = now + TTL.toNanos() / 2;
        }
        return token;
    }
}
