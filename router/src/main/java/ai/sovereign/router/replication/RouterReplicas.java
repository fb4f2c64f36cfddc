package ai.sovereign.router.replication;

import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.replicas.ReplicaHeartbeat;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Keeps a server's {@code maxConcurrency} for the whole router, not per replica: the live router replicas (from
 * {@code router.replicas}, every {@code router.heartbeat-interval}, 2 s) divide every server's slots so that their
 * shares add up to its limit. See {@link ReplicaHeartbeat} for how replicas come and go.
 */
@Factory
class RouterReplicas {

    @Context
    @Bean(preDestroy = "close")
    ReplicaHeartbeat routerHeartbeat(
            DataSource dataSource,
            FleetRegistry fleet,
            PostgresSettings postgres,
            @Value("${router.heartbeat-interval:2s}") Duration interval) {
        return new ReplicaHeartbeat("router", dataSource, postgres.schema() + ".replicas", interval, fleet::shareSlots);
    }
}
