package ai.sovereign.runtime.config;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;
import java.util.Map;

/**
 * Settings every service shares, given once here at the lowest precedence instead of in each service's
 * {@code application.yml} (which, like the environment, still overrides any of them).
 */
@ContextConfigurer
public final class PlatformDefaults implements ApplicationContextConfigurer {

    /** Below every other property source: application.yml, environment variables and system properties win. */
    static final int PRECEDENCE = Integer.MIN_VALUE;

    /** The JAAS line every client logs in with; {@code ServiceLauncher} checks the password before anything starts. */
    public static final String KAFKA_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"${sovereign.kafka.username}\" password=\"${sovereign.kafka.password:}\";";

    static final Map<String, Object> SETTINGS = Map.ofEntries(
            // micronaut-management: only GET /health, public, with each component's details
            Map.entry("endpoints.all.enabled", false),
            Map.entry("endpoints.health.enabled", true),
            Map.entry("endpoints.health.sensitive", false),
            Map.entry("endpoints.health.details-visible", "ANONYMOUS"),
            Map.entry("endpoints.health.disk-space.path", "."),
            Map.entry("endpoints.health.disk-space.threshold", 104_857_600L),
            Map.entry("endpoints.health.discovery-client.enabled", false),
            // the postgres component (PostgresHealthCheck) names the schema and pool use; the module's jdbc one would
            // repeat the same connection test under a second name
            Map.entry("endpoints.health.jdbc.enabled", false),
            // micronaut-flyway: the service's own schema (postgres.schema), created if missing and migrated from its
            // classpath:db/migration when the pool starts; only services with datasources.default get a pool
            Map.entry("flyway.datasources.default.enabled", true),
            Map.entry("flyway.datasources.default.locations", "classpath:db/migration"),
            Map.entry("flyway.datasources.default.schemas", "${postgres.schema:public}"),
            Map.entry("flyway.datasources.default.default-schema", "${postgres.schema:public}"),
            Map.entry("flyway.datasources.default.create-schemas", true),
            // micronaut-micrometer: GET /metrics (MetricsController) scrapes the Prometheus registry; HTTP server
            // requests are timed by HttpServerMetricsFilter with the same tags the fast lane uses (the web binder adds
            // an exception tag it cannot match); the executor binder, which wraps executor beans, stays off as before
            Map.entry("micronaut.metrics.enabled", true),
            Map.entry("micronaut.metrics.export.prometheus.enabled", true),
            Map.entry("micronaut.metrics.export.prometheus.descriptions", true),
            Map.entry("micronaut.metrics.binders.web.enabled", false),
            Map.entry("micronaut.metrics.binders.executor.enabled", false),
            // micronaut-kafka: kafka.* goes to every client; the events producer (KafkaEventPublisher) is idempotent
            // with acks=all as the design requires, gathers records 5 ms into batches of up to 256 KiB, and gives up
            // on a record after 2 minutes; a send blocks at most 5 s for metadata when Kafka is away
            Map.entry("kafka.health.enabled", false),
            // every client logs in with SCRAM-SHA-512 as the service's own principal (docs/security.md): the user
            // name defaults to the service's name, the password comes from sovereign.kafka.password
            // (SOVEREIGN_KAFKA_PASSWORD); a broker without SASL needs KAFKA_SECURITY_PROTOCOL set to match it
            Map.entry("kafka.security.protocol", "SASL_PLAINTEXT"),
            Map.entry("kafka.sasl.mechanism", "SCRAM-SHA-512"),
            Map.entry("sovereign.kafka.username", "${micronaut.application.name:}"),
            Map.entry("kafka.sasl.jaas.config", KAFKA_LOGIN),
            Map.entry("kafka.producers.events.client.id", "${micronaut.application.name:service}-producer"),
            Map.entry("kafka.producers.events.acks", "all"),
            Map.entry("kafka.producers.events.enable.idempotence", true),
            Map.entry("kafka.producers.events.linger.ms", 5),
            Map.entry("kafka.producers.events.batch.size", 262_144),
            Map.entry("kafka.producers.events.delivery.timeout.ms", 120_000),
            Map.entry("kafka.producers.events.max.block.ms", 5_000));

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of("sovereign-platform-defaults", SETTINGS, PRECEDENCE));
    }
}
