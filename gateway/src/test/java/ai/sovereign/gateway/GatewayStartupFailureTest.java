package ai.sovereign.gateway;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.testkit.contract.StartupFailureContract;
import java.nio.file.Path;
import java.util.Map;

/** Started as an operator would, the gateway refuses to run without PostgreSQL and says where it looked. */
class GatewayStartupFailureTest extends StartupFailureContract {

    @Override
    protected Class<?> mainClass() {
        return GatewayApplication.class;
    }

    @Override
    protected String dependencyName() {
        return "PostgreSQL";
    }

    @Override
    protected Map<String, String> environmentWithDependencyAt(int port) {
        return Map.of(
                "DATASOURCES_DEFAULT_URL",
                "jdbc:postgresql://127.0.0.1:" + port + "/sovereign",
                "DATASOURCES_DEFAULT_USERNAME",
                "gateway");
    }

    @Override
    protected Map<String, String> keyEnvironment(Path directory) {
        return PlatformKeys.loadOrGenerate(directory).environment("gateway");
    }
}
