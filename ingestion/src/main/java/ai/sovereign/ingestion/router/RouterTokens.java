package ai.sovereign.ingestion.router;

import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service tokens for the calls ingestion makes to the router (chat answers, entity extraction, remote embeddings):
 * issuer {@code ingestion}, audience {@code router}, role {@code service}, the tenant the usage belongs to. The router
 * admits ingestion's tokens with that role only (its {@code sovereign.security.callers}). A token is reused while more
 * than half of its lifetime is left, as the gateway does, so the router verifies one signature per subject and tenant
 * rather than one per call.
 */
@Singleton
public class RouterTokens {

    /** For work that belongs to no single tenant: embedding batches mix the chunks of several tenants' documents. */
    public static final String PLATFORM_TENANT = "_platform";

    private static final Duration TTL = Duration.ofMinutes(10);

    private final ServiceTokenSigner signer;
    private final Map<String, Minted> minted = new ConcurrentHashMap<>();

    private record Minted(String token, long renewAtNanos) {}

    public RouterTokens(ServiceTokenSigner signer) {
        this.signer = signer;
    }

    /**
     * For a chat answer on behalf of {@code caller}: subject its key id, so that the router meters the answer to the
     * key that asked; still issued by ingestion with role {@code service}.
     */
    public String forCaller(Caller caller) {
        return token(caller.subject(), caller.tenant());
    }

    /** For ingestion's own work in {@code tenant}: subject {@code ingestion}. */
    public String forTenant(String tenant) {
        return token("ingestion", tenant);
    }

    private String token(String subject, String tenant) {
        String key = subject + '\n' + tenant;
        long now = System.nanoTime();
        Minted token = minted.get(key);
        if (token == null || now - token.renewAtNanos() >= 0) {
            if (minted.size() >= 10_000) {
                minted.clear(); // bounded: keys and tenants come and go
            }
            token = new Minted(signer.issue("router", subject, tenant, Role.SERVICE, TTL), now + TTL.toNanos() / 2);
            minted.put(key, token);
        }
        return token.token();
    }
}
