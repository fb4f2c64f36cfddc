package ai.sovereign.router.config;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The routing configuration document: what is versioned in PostgreSQL, validated by {@link ConfigDocumentCodec}. */
public record RoutingConfig(
        List<ServerSpec> servers,
        QueueSettings queue,
        BreakerSettings circuitBreaker,
        RetrySettings retry,
        HealthSettings health,
        RecoverySettings recovery,
        MetricsSettings metrics,
        BalancingSettings balancing) {

    public RoutingConfig {
        servers = List.copyOf(servers);
    }

    /** No servers, every section at its default. */
    public static RoutingConfig defaults() {
        return new RoutingConfig(
                List.of(),
                QueueSettings.defaults(),
                BreakerSettings.defaults(),
                RetrySettings.defaults(),
                HealthSettings.defaults(),
                RecoverySettings.defaults(),
                MetricsSettings.defaults(),
                BalancingSettings.defaults());
    }

    public Optional<ServerSpec> server(String id) {
        return servers.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public RoutingConfig withServers(List<ServerSpec> value) {
        return new RoutingConfig(value, queue, circuitBreaker, retry, health, recovery, metrics, balancing);
    }

    public RoutingConfig withServers(UnaryOperator<List<ServerSpec>> change) {
        return withServers(change.apply(servers));
    }

    public RoutingConfig withQueue(QueueSettings value) {
        return new RoutingConfig(servers, value, circuitBreaker, retry, health, recovery, metrics, balancing);
    }

    public RoutingConfig withMetrics(MetricsSettings value) {
        return new RoutingConfig(servers, queue, circuitBreaker, retry, health, recovery, value, balancing);
    }

    public RoutingConfig withBalancing(BalancingSettings value) {
        return new RoutingConfig(servers, queue, circuitBreaker, retry, health, recovery, metrics, value);
    }
}
