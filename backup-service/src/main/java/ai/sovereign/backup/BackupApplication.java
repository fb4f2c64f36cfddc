package ai.sovereign.backup;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the backup-service: scheduled and on-demand backups of PostgreSQL, Neo4j, vectors and config; verification by restore; retention; restore. */
public final class BackupApplication {

    private BackupApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run(
                "backup-service",
                BackupApplication.class,
                args,
                // no backup without its encryption key, unless unencrypted backups are asked for (exit 4)
                environment -> {
                    new BackupSettings.Encryption(
                            environment
                                    .getProperty("backup.encryption.key", String.class)
                                    .orElse(null),
                            environment
                                    .getProperty("backup.encryption.required", Boolean.class)
                                    .orElse(true));
                    return null;
                },
                Dependency.POSTGRES,
                Dependency.NEO4J);
    }
}
