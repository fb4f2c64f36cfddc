package ai.sovereign.runtime;

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

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        // the probe keeps its tables in the gateway's schema, as the gateway's login
        SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY)
                .forEach((k, v) -> props.put(k, String.valueOf(v)));
        props.put("postgres.schema", DatabaseRoles.GATEWAY.schema());
        SharedInfrastructure.kafkaProperties("gateway").forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }

    @Override
    protected URI baseUri() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "runtime-probe";
    }

    @Override
    protected List<String> expectedHealthComponents() {
        return List.of("postgres", "kafka", "diskSpace");
    }
}
