package ai.sovereign.router.fleet;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the router connects to inference servers.
 *
 * @param connectTimeout          {@code router.connect-timeout}: short, so that a dead server is found quickly and the
 *                                request retried elsewhere
 * @param maxConnectionsPerServer {@code router.max-connections-per-server}: open connections of the forwarding client
 *                                to one server; an attempt beyond it fails at once and is retried on another server
 */
@ConfigurationProperties("router")
public record BackendClientSettings(
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "1024") int maxConnectionsPerServer) {

    public BackendClientSettings {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("router.connect-timeout must be positive (got " + connectTimeout + ")");
        }
        if (maxConnectionsPerServer < 1) {
            throw new IllegalArgumentException(
                    "router.max-connections-per-server must be ≥ 1 (got " + maxConnectionsPerServer + ")");
        }
    }
}
