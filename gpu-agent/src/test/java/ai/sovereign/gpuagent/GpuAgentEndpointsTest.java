package ai.sovereign.gpuagent;

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

/** The gpu-agent started over HTTP on the real servers answers /health, /metrics, request ids and errors. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuAgentEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        SharedInfrastructure.kafkaProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }

    @Override
    protected URI baseUri() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "gpu-agent";
    }

    @Override
    protected List<String> expectedHealthComponents() {
        return List.of("kafka", "diskSpace", "fleet-commands", "simulated-gpu");
    }
}
