package ai.sovereign.gpuagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.ServiceEndpointsContract;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gpu-agent started over HTTP on the real servers answers /health, /metrics, request ids and errors; it runs
 * outside dev mode without any token key (it signs nothing and verifies nothing).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuAgentEndpointsTest extends ServiceEndpointsContract implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        SharedInfrastructure.kafkaProperties("gpu-agent").forEach((k, v) -> props.put(k, String.valueOf(v)));
        props.put("sovereign.security.dev-mode", "false");
        props.put("sovereign.management.token", MANAGEMENT_TOKEN);
        return props;
    }

    @Inject
    ApplicationContext context;

    @Test
    void theAgentRunsWithoutAnyTokenKeyAndCannotSign() {
        SecuritySettings security = context.getBean(SecuritySettings.class);
        assertFalse(security.devMode());
        assertEquals("", security.signingKey());
        assertEquals("", security.trustedKeys());
        var error = assertThrows(BeanInstantiationException.class, () -> context.getBean(ServiceTokenSigner.class));
        assertTrue(
                error.getMessage().contains("sovereign.security.signing-key is not set for gpu-agent"),
                error.getMessage());
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
