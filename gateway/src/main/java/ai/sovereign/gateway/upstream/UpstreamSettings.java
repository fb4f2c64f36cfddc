package ai.sovereign.gateway.upstream;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where the services behind the gateway are and how long to wait for them ({@code gateway.upstreams.*}).
 *
 * @param router                {@code gateway.upstreams.router}: the router's base URL, without a trailing '/', or the
 *                              base URLs of its replicas, comma-separated: calls are spread over them and a call a
 *                              replica fails before answering moves to the next ({@link RouterFailover})
 * @param ingestion             {@code gateway.upstreams.ingestion}
 * @param audit                 {@code gateway.upstreams.audit}
 * @param backup                {@code gateway.upstreams.backup}
 * @param connectTimeout        {@code gateway.upstreams.connect-timeout}: TCP connect to an upstream
 * @param responseTimeout       {@code gateway.upstreams.response-timeout}: until an upstream's response headers (the
 *                              router may queue a request that long)
 * @param maxConnectionsPerHost {@code gateway.upstreams.max-connections-per-host}: open connections to one upstream,
 *                              in use or idle, over all event loops; beyond them a request is refused at once with 503
 */
@ConfigurationProperties("gateway.upstreams")
public record UpstreamSettings(
        @Bindable(defaultValue = "http://localhost:5100") List<String> router,
        @Bindable(defaultValue = "http://localhost:8000") String ingestion,
        @Bindable(defaultValue = "http://localhost:8090") String audit,
        @Bindable(defaultValue = "http://localhost:8070") String backup,
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "300s") Duration responseTimeout,
        @Bindable(defaultValue = "1024") int maxConnectionsPerHost) {

    public UpstreamSettings {
        if (router == null || router.isEmpty()) {
            throw new IllegalStateException("gateway.upstreams.router must name at least one router base URL");
        }
        router = router.stream()
                .map(String::strip)
                .map(url -> base("gateway.upstreams.router", url))
                .toList();
        ingestion = base("gateway.upstreams.ingestion", ingestion);
        audit = base("gateway.upstreams.audit", audit);
        backup = base("gateway.upstreams.backup", backup);
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || responseTimeout.isNegative()
                || responseTimeout.isZero()) {
            throw new IllegalStateException("gateway.upstreams.connect-timeout and response-timeout must be > 0 (got "
                    + connectTimeout + ", " + responseTimeout + ")");
        }
        if (maxConnectionsPerHost < 1) {
            throw new IllegalStateException(
                    "gateway.upstreams.max-connections-per-host must be >= 1 (got " + maxConnectionsPerHost + ")");
        }
    }

    /** The first router's base URL: calls built on it are moved to the replica whose turn it is by the client. */
    public String primaryRouter() {
        return router.getFirst();
    }

    /** The URL without trailing '/', checked to be an absolute http(s) URL. */
    private static String base(String property, String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = URI.create(trimmed);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return trimmed;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    property + " must be an http(s) base URL such as http://router:5100 (got '" + value + "')");
        }
    }
}
