package ai.sovereign.router.forward;

import java.time.Instant;

/**
 * Who sent a request and when: the request id, and the API key id and tenant of its verified service token, for usage
 * records; and the client's optional session id ({@code X-Session-Id}), which the balancer keeps on one server.
 */
public record ClientContext(
        String requestId, String keyId, String tenant, Instant startedAt, long startNanos, String sessionId) {

    /** Without a session id. */
    public ClientContext(String requestId, String keyId, String tenant, Instant startedAt, long startNanos) {
        this(requestId, keyId, tenant, startedAt, startNanos, null);
    }

    public static final String ANONYMOUS = "anonymous";
}
