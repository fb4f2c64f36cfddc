package ai.sovereign.audit;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the audit-service: the tamper-evident audit trail and usage ledger in PostgreSQL; compliance queries, exports, integrity verification, retention. */
public final class AuditApplication {

    private AuditApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run("audit-service", AuditApplication.class, args, Dependency.POSTGRES, Dependency.KAFKA);
    }
}
