package ai.sovereign.backup;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the backup-service: scheduled and on-demand backups of PostgreSQL, Neo4j, vectors and config; verification by restore; retention; restore. */
public final class BackupApplication {

    private BackupApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run("backup-service", BackupApplication.class, args, Dependency.POSTGRES, Dependency.NEO4J);
    }
}
