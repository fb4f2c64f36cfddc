package ai.sovereign.ingestion.router;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Service tokens for the calls ingestion makes to the router on its own (entity extraction, remote embeddings):
 * subject and issuer {@code ingestion}, role {@code service}, the tenant the usage belongs to.
 */
@Singleton
public class RouterTokens {

    /** For work that belongs to no single tenant: embedding batches mix the chunks of several tenants' documents. */
    public static final String PLATFORM_TENANT = "_platform";

    private static final Duration TTL = Duration.ofMinutes(10);

    private final ServiceTokenCodec codec;

    public RouterTokens(ServiceTokenCodec codec) {
        this.codec = codec;
    }

    public String forTenant(String tenant) {
        return codec.issue("ingestion", tenant, Role.SERVICE, TTL, "ingestion");
    }
}
