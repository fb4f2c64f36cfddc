package ai.sovereign.audit;

import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.ServiceEndpointsContract;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;

/** The audit-service started over HTTP on the real servers answers /health, /metrics, request ids and errors. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        SharedInfrastructure.postgresProperties(DatabaseRoles.AUDIT).forEach((k, v) -> props.put(k, String.valueOf(v)));
        SharedInfrastructure.kafkaProperties("audit-service").forEach((k, v) -> props.put(k, String.valueOf(v)));
        try {
            props.put(
                    "audit.data-dir",
                    Files.createTempDirectory("audit-endpoints").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    @Override
    protected URI baseUri() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "audit-service";
    }

    @Override
    protected List<String> expectedHealthComponents() {
        return List.of("postgres", "kafka", "diskSpace");
    }
}
