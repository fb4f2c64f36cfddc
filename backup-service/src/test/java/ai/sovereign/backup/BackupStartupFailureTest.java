package ai.sovereign.backup;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.StartupFailureContract;
import java.nio.file.Path;
import java.util.Map;

/** Started as an operator would, the backup-service refuses to run without PostgreSQL and says where it looked. */
class BackupStartupFailureTest extends StartupFailureContract {

    @Override
    protected Class<?> mainClass() {
        return BackupApplication.class;
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
                "backup",
                "NEO4J_URI",
                SharedInfrastructure.neo4j().boltUri());
    }

    @Override
    protected Map<String, String> keyEnvironment(Path directory) {
        return PlatformKeys.loadOrGenerate(directory).environment("backup-service");
    }
}
