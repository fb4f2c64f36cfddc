package ai.sovereign.runtime.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kafka start-up probe connects as the service's clients will: with its security, TLS and SASL settings. */
class DependencyProbeTest {

    private static PropertySourcePropertyResolver config(Map<String, Object> properties) {
        return new PropertySourcePropertyResolver(MapPropertySource.of("test", properties));
    }

    @Test
    void theKafkaProbeTakesTheClientsSecuritySettings() {
        String broker = SharedInfrastructure.kafka().bootstrapServers();
        assertNull(DependencyProbe.problem(Dependency.KAFKA, config(Map.of("kafka.bootstrap.servers", broker))));
        Map<String, Object> tls = Map.of(
                "kafka.bootstrap.servers", broker,
                "kafka.security.protocol", "SSL",
                "kafka.ssl.endpoint.identification.algorithm", "https",
                "kafka.acks", "all");
        assertEquals(
                Map.of("security.protocol", "SSL", "ssl.endpoint.identification.algorithm", "https"),
                DependencyProbe.connectionSettings(config(tls)));
        // the test broker speaks no TLS: a probe that really used the setting cannot reach it
        assertNotNull(DependencyProbe.problem(Dependency.KAFKA, config(tls)));
    }
}
