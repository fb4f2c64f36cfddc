package ai.sovereign.gateway;

import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.ServiceEndpointsContract;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;

/** The gateway started over HTTP on the real servers answers /health, /metrics, request ids and errors. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY)
                .forEach((k, v) -> props.put(k, String.valueOf(v)));
        SharedInfrastructure.kafkaProperties("gateway").forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }

    @Override
    protected URI baseUri() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "gateway";
    }

    @Override
    protected List<String> expectedHealthComponents() {
        return List.of("postgres", "kafka", "diskSpace");
    }
}
