package ai.sovereign.runtime.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.util.HashMap;
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
        assertNull(DependencyProbe.problem(Dependency.KAFKA, config(login("router", routerPassword()))));
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

    @Test
    void aLoginTheBrokerRefusesIsReportedAsRefusedWithThePrincipal() {
        DependencyProbe.Problem problem =
                DependencyProbe.problem(Dependency.KAFKA, config(login("router", "wrong-" + routerPassword())));
        assertNotNull(problem);
        assertTrue(problem.refused(), problem.why());
        assertEquals("router", DependencyProbe.kafkaPrincipal(config(login("router", "x"))));
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNotReportedAsRefused() {
        Map<String, Object> nowhere = new HashMap<>(login("router", routerPassword()));
        nowhere.put("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next());
        DependencyProbe.Problem problem = DependencyProbe.problem(Dependency.KAFKA, config(nowhere));
        assertNotNull(problem);
        assertFalse(problem.refused(), problem.why());
    }

    private static String routerPassword() {
        return SharedInfrastructure.kafka().credentials().password("router");
    }

    /** The client settings a service logging in as {@code principal} has, as micronaut-kafka properties. */
    private static Map<String, Object> login(String principal, String password) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers());
        properties.put("kafka.security.protocol", "SASL_PLAINTEXT");
        properties.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        properties.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                        + "\" password=\"" + password + "\";");
        return properties;
    }
}
