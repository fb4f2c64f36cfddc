package ai.sovereign.router;

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

/** The router started over HTTP on the real servers answers /health, /metrics, request ids and errors. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        SharedInfrastructure.postgresProperties(DatabaseRoles.ROUTER)
                .forEach((k, v) -> props.put(k, String.valueOf(v)));
        SharedInfrastructure.kafkaProperties("router").forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }

    @Override
    protected URI baseUri() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "router";
    }

    @Override
    protected List<String> expectedHealthComponents() {
        return List.of("postgres", "kafka", "diskSpace", "inference-servers");
    }
}
