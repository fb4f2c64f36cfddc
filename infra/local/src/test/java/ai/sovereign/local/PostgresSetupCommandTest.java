package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys} writes the PostgreSQL passwords compose and Kubernetes use; {@code postgres-setup} creates the logins
 * and schemas with them, as compose's one-shot container runs it against a server that asks for passwords.
 */
class PostgresSetupCommandTest {

    @Test
    void theKeysCommandWritesOnePasswordPerLoginReadableByItsOwnerOnlyAndKeepsThem(@TempDir Path dir) throws Exception {
        SovereignLocal.main(new String[] {"keys", dir.toString()});
        Path file = dir.resolve(PasswordsFile.POSTGRES.file());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String first = Files.readString(file);
        assertTrue(first.contains("\nPOSTGRES_PASSWORD="), first);
        assertTrue(first.contains("\nPOSTGRES_AUDIT_OWNER_PASSWORD="), first);
        assertEquals(
                DatabaseCredentials.logins().size(),
                first.lines().filter(l -> l.contains("=")).count());
        SovereignLocal.main(new String[] {"keys", dir.toString()});
        assertEquals(first, Files.readString(file));
        for (PasswordsFile secrets : new PasswordsFile[] {PasswordsFile.MANAGEMENT, PasswordsFile.BACKUP_KEY}) {
            Path written = dir.resolve(secrets.file());
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(written)),
                    written + " is readable by its owner only");
        }
        assertTrue(
                Files.readString(dir.resolve(PasswordsFile.BACKUP_KEY.file())).contains("BACKUP_ENCRYPTION_KEY="));
    }

    @Test
    void postgresSetUpCreatesEveryLoginAndSchemaHandsAnOlderInstallsTablesToTheirOwnerAndIsIdempotent(
            @TempDir Path dataDir) throws Exception {
        DatabaseCredentials credentials = DatabaseCredentials.generate();
        Map<String, String> environment = new HashMap<>();
        credentials
                .all()
                .forEach((login, password) ->
                        environment.put(PasswordsFile.POSTGRES.variable().apply(login), password));
        try (PostgresServer postgres =
                PostgresServer.start(dataDir, 0, credentials.password(DatabaseRoles.SUPERUSER))) {
            String url = postgres.ensureDatabase("sovereign");
            // an older install: the gateway's schema and table created by the one role every service used
            try (Connection superuser = postgres.connect("sovereign")) {
                superuser.createStatement().execute("CREATE SCHEMA gateway; CREATE TABLE gateway.api_keys (id INT)");
            }
            String[] args = {"postgres-setup", url};
            assertEquals(0, SovereignLocal.setUpPostgres(args, environment));
            assertEquals(0, SovereignLocal.setUpPostgres(args, environment), "a second run changes nothing");

            try (Connection gateway = DriverManager.getConnection(url, "gateway", credentials.password("gateway"));
                    ResultSet rs = gateway.createStatement().executeQuery("""
                            SELECT (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'gateway.api_keys'::regclass),
                                   (SELECT string_agg(nspname || '=' || pg_get_userbyid(nspowner), ',' ORDER BY nspname)
                                    FROM pg_namespace WHERE nspname IN ('gateway', 'router', 'ingestion', 'audit', 'backup')),
                                   has_database_privilege('gateway', current_database(), 'CREATE'),
                                   has_database_privilege('backup', current_database(), 'CREATE')""")) {
                rs.next();
                assertEquals("gateway", rs.getString(1), "the older install's table belongs to the gateway now");
                assertEquals(
                        "audit=audit_owner,backup=backup,gateway=gateway,ingestion=ingestion,router=router",
                        rs.getString(2));
                assertEquals(false, rs.getBoolean(3), "a service cannot create schemas");
                assertEquals(true, rs.getBoolean(4), "the backup login re-creates schemas when it restores");
            }

            Map<String, String> wrongSuperuser = new HashMap<>(environment);
            wrongSuperuser.put("POSTGRES_PASSWORD", "not-the-superuser-password");
            assertEquals(1, SovereignLocal.setUpPostgres(args, wrongSuperuser));

            Map<String, String> missing = new HashMap<>(environment);
            missing.remove("POSTGRES_AUDIT_OWNER_PASSWORD");
            assertEquals(64, SovereignLocal.setUpPostgres(args, missing));
            assertEquals(
                    64, SovereignLocal.setUpPostgres(new String[] {"postgres-setup", "postgres:5432"}, environment));
        }
    }
}
