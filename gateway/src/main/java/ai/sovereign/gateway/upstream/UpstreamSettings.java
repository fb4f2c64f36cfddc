package ai.sovereign.gateway.upstream;

import java.net.URI;
import java.time.Duration;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Where the services behind the gateway are and how long to wait for them: {@code gateway.upstreams.router}
 * (default {@code http://localhost:5100}), {@code .ingestion} ({@code :8000}), {@code .audit} ({@code :8090}),
 * {@code .backup} ({@code :8070}); {@code gateway.upstreams.connect-timeout} (5s), {@code .response-timeout} (time
 * until an upstream's response headers, 300s: the router may queue a request that long),
 * {@code gateway.upstreams.max-connections-per-host} (open connections to one upstream, 1024: beyond them a request
 * is refused at once with 503), {@code gateway.token-ttl} (lifetime of the service token minted per request, 60s).
 */
@Singleton
public class UpstreamSettings {

    private final URI router;
    private final URI ingestion;
    private final URI audit;
    private final URI backup;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Duration tokenTtl;
    private final int maxConnectionsPerHost;

    public UpstreamSettings(@Value("${gateway.upstreams.router:`http://localhost:5100`}") String router,
                            @Value("${gateway.upstreams.ingestion:`http://localhost:8000`}") String ingestion,
                            @Value("${gateway.upstreams.audit:`http://localhost:8090`}") String audit,
                            @Value("${gateway.upstreams.backup:`http://localhost:8070`}") String backup,
                            @Value("${gateway.upstreams.connect-timeout:5s}") Duration connectTimeout,
                            @Value("${gateway.upstreams.response-timeout:300s}") Duration responseTimeout,
                            @Value("${gateway.token-ttl:60s}") Duration tokenTtl,
                            @Value("${gateway.upstreams.max-connections-per-host:1024}") int maxConnectionsPerHost) {
        this.router = base("gateway.upstreams.router", router);
        this.ingestion = base("gateway.upstreams.ingestion", ingestion);
        this.audit = base("gateway.upstreams.audit", audit);
        this.backup = base("gateway.upstreams.backup", backup);
        if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalStateException("gateway.upstreams.connect-timeout and response-timeout must be > 0 (got "
                    + connectTimeout + ", " + responseTimeout + ")");
        }
        if (tokenTtl.toSeconds() < 1) {
            throw new IllegalStateException("gateway.token-ttl must be at least 1s (got " + tokenTtl + ")");
        }
        if (maxConnectionsPerHost < 1) {
            throw new IllegalStateException("gateway.upstreams.max-connections-per-host must be >= 1 (got "
                    + maxConnectionsPerHost + ")");
        }
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.tokenTtl = tokenTtl;
        this.maxConnectionsPerHost = maxConnectionsPerHost;
    }

    /** Open connections to one upstream address, in use or idle, over all event loops. */
    public int maxConnectionsPerHost() {
        return maxConnectionsPerHost;
    }

    private static URI base(String property, String value) {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " must be an http(s) base URL such as http://router:5100 (got '"
                    + value + "')");
        }
    }

    public URI router() {
        return router;
    }

    public URI ingestion() {
        return ingestion;
    }

    public URI audit() {
        return audit;
    }

    public URI backup() {
        return backup;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration responseTimeout() {
        return responseTimeout;
    }

    public Duration tokenTtl() {
        return tokenTtl;
    }
}
