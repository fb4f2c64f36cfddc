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
        Map<String, String> environment =
                new java.util.HashMap<>(PlatformKeys.loadOrGenerate(directory).environment("backup-service"));
        // a backup-service needs its encryption key before anything else (exit 4 without it)
        environment.put("BACKUP_ENCRYPTION_KEY", ai.sovereign.backup.support.BackupService.KEY);
        return environment;
    }

    @org.junit.jupiter.api.Test
    void withoutAnEncryptionKeyItStopsWithExitCode4NamingTheSetting() throws Exception {
        Map<String, String> environment =
                new java.util.HashMap<>(PlatformKeys.loadOrGenerate(java.nio.file.Files.createTempDirectory("keys"))
                        .environment("backup-service"));
        environment.put("SOVEREIGN_KAFKA_USERNAME", ai.sovereign.events.KafkaAccess.ADMIN);
        environment.put(
                "SOVEREIGN_KAFKA_PASSWORD",
                SharedInfrastructure.kafka().credentials().password(ai.sovereign.events.KafkaAccess.ADMIN));
        environment.put("MICRONAUT_SERVER_PORT", String.valueOf(ai.sovereign.testkit.FreePorts.next()));
        ai.sovereign.testkit.JavaProcess.Result result =
                ai.sovereign.testkit.JavaProcess.run(mainClass(), environment, java.time.Duration.ofSeconds(90));
        org.junit.jupiter.api.Assertions.assertEquals(4, result.exitCode(), result.stderr());
        org.junit.jupiter.api.Assertions.assertTrue(result.stderr().contains("BACKUP_ENCRYPTION_KEY"), result.stderr());
        org.junit.jupiter.api.Assertions.assertTrue(
                result.stderr().contains("backup.encryption.required=false"), result.stderr());
    }
}
