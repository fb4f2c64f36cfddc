package ai.sovereign.ingestion;

import ai.sovereign.ingestion.support.IngestionTestProperties;
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

/** The ingestion started over HTTP on the real servers answers /health, /metrics, request ids and errors. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return new HashMap<>(IngestionTestProperties.fresh());
    }

    @Override
    protected URI baseUri() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "ingestion";
    }

    @Override
    protected List<String> expectedHealthComponents() {
        return List.of("postgres", "kafka", "neo4j", "diskSpace", "vector-store");
    }
}
