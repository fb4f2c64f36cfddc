package ai.sovereign.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.JavaProcess;
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

    @Test
    void unreachableRequiredDependencyStopsStartWithClearErrorAndExitCode3() {
        int closedPort = FreePorts.next();
        Map<String, String> environment = new java.util.HashMap<>(environmentWithDependencyAt(closedPort));
        environment.put("SOVEREIGN_STARTUP_DEPENDENCY_WAIT", "1s");
        environment.put("SOVEREIGN_SECURITY_TOKEN_SECRET", "test-secret-test-secret-test-secret-0123");
        environment.put("MICRONAUT_SERVER_PORT", String.valueOf(FreePorts.next()));
        JavaProcess.Result result = JavaProcess.run(mainClass(), environment, Duration.ofSeconds(90));
        assertEquals(3, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains(dependencyName() + " is unreachable at "), result.stderr());
        assertTrue(result.stderr().contains("127.0.0.1:" + closedPort), "names the address tried: " + result.stderr());
    }
}
