package ai.sovereign.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.KafkaAccess;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.JavaProcess;
import ai.sovereign.testkit.SharedInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service started as an operator starts it ({@code java … Main}) with a required dependency pointed at an address
 * where nothing listens must stop with a message that names the dependency and the address, and exit code 3.
 */
public abstract class StartupFailureContract {

    /** The service's main class. */
    protected abstract Class<?> mainClass();

    /** Display name of the dependency made unreachable, e.g. {@code PostgreSQL}. */
    protected abstract String dependencyName();

    /** Environment that points that dependency at {@code 127.0.0.1:port} (and the others anywhere). */
    protected abstract Map<String, String> environmentWithDependencyAt(int port);

    /**
     * The key settings the service needs to get past its configuration check, with key files written into
     * {@code directory} ({@code PlatformKeys.loadOrGenerate(directory).environment(service)}); none by default.
     */
    protected Map<String, String> keyEnvironment(Path directory) {
        return Map.of();
    }

    @Test
    void unreachableRequiredDependencyStopsStartWithClearErrorAndExitCode3() {
        int closedPort = FreePorts.next();
        Map<String, String> environment = new java.util.HashMap<>(environmentWithDependencyAt(closedPort));
        environment.put("SOVEREIGN_STARTUP_DEPENDENCY_WAIT", "1s");
        // a login the shared broker accepts, so that only the dependency under test fails
        environment.putIfAbsent("SOVEREIGN_KAFKA_USERNAME", KafkaAccess.ADMIN);
        environment.putIfAbsent(
                "SOVEREIGN_KAFKA_PASSWORD",
                SharedInfrastructure.kafka().credentials().password(KafkaAccess.ADMIN));
        try {
            environment.putAll(keyEnvironment(Files.createTempDirectory("platform-keys")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        environment.put("MICRONAUT_SERVER_PORT", String.valueOf(FreePorts.next()));
        JavaProcess.Result result = JavaProcess.run(mainClass(), environment, Duration.ofSeconds(90));
        assertEquals(3, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains(dependencyName() + " is unreachable at "), result.stderr());
        assertTrue(result.stderr().contains("127.0.0.1:" + closedPort), "names the address tried: " + result.stderr());
    }
}
