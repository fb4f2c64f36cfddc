package ai.sovereign.audit;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.StartupFailureContract;
import java.nio.file.Path;
import java.util.Map;

/** Started as an operator would, the audit-service refuses to run without PostgreSQL and says where it looked. */
class AuditStartupFailureTest extends StartupFailureContract {

    @Override
    protected Class<?> mainClass() {
        return AuditApplication.class;
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
                "audit",
                "KAFKA_BOOTSTRAP_SERVERS",
                SharedInfrastructure.kafka().bootstrapServers());
    }

    @Override
    protected Map<String, String> keyEnvironment(Path directory) {
        return PlatformKeys.loadOrGenerate(directory).environment("audit-service");
    }
}
