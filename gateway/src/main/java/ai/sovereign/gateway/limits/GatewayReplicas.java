package ai.sovereign.gateway.limits;

import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.replicas.ReplicaHeartbeat;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The live gateway replicas (from {@code gateway.replicas}, every {@code gateway.heartbeat-interval}, 2 s): the share
 * of each key's {@code max_concurrent} this replica admits, and of each limit it admits alone while PostgreSQL is
 * unreachable ({@link QuotaSlices}).
 */
@Factory
class GatewayReplicas {

    @Context
    @Bean(preDestroy = "close")
    ReplicaHeartbeat gatewayHeartbeat(
            DataSource dataSource,
            PostgresSettings postgres,
            QuotaSlices slices,
            @Value("${gateway.heartbeat-interval:2s}") Duration interval) {
        ReplicaHeartbeat heartbeat =
                new ReplicaHeartbeat("gateway", dataSource, postgres.schema() + ".replicas", interval, share -> {});
        slices.shareFrom(heartbeat::share);
        return heartbeat;
    }
}
