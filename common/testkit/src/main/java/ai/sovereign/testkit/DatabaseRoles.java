package ai.sovereign.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who connects to PostgreSQL as whom: the one table of the platform's database logins (docs/security.md). Every
 * service logs in as its own role, which owns its schema and nothing else; none is a superuser or may create roles or
 * databases. Two services differ:
 *
 * <ul>
 *   <li>the audit-service runs as {@code audit}, which may read and add rows but change none (except its chain heads
 *       and consumer positions) and owns nothing; its schema belongs to {@code audit_owner}, the login its Flyway
 *       migration alone uses;
 *   <li>the backup-service ({@code backup}) has the privileges of every schema owner, to read every schema and to
 *       restore one as its owner, and may create schemas in the database; it is still no superuser.
 * </ul>
 *
 * The superuser ({@value #SUPERUSER}) only creates these roles and schemas (the all-in-one at start, {@code
 * sovereign-local postgres-setup} for compose and Kubernetes).
 */
public final class DatabaseRoles {

    /** The superuser that creates the roles; no service logs in as it. */
    public static final String SUPERUSER = "postgres";

    /**
     * A service's database access.
     *
     * @param name           the service's name
     * @param login          the role the service's connection pool logs in as
     * @param schema         the schema the service keeps its tables in
     * @param migrationLogin the schema's owner, when the service's migrations log in as another role than its pool
     */
    public record Service(String name, String login, String schema, String migrationLogin) {

        /** The role that owns {@link #schema()}. */
        public String schemaOwner() {
            return migrationLogin == null ? login : migrationLogin;
        }
    }

    public static final Service GATEWAY = new Service("gateway", "gateway", "gateway", null);
    public static final Service ROUTER = new Service("router", "router", "router", null);
    public static final Service INGESTION = new Service("ingestion", "ingestion", "ingestion", null);
    public static final Service AUDIT = new Service("audit-service", "audit", "audit", "audit_owner");
    public static final Service BACKUP = new Service("backup-service", "backup", "backup", null);

    /** Every service with a database. */
    public static final List<Service> SERVICES = List.of(GATEWAY, ROUTER, INGESTION, AUDIT, BACKUP);

    /** The advisory lock key role creation holds. */
    private static final long ROLES_LOCK = 0x736f7672L;

    private DatabaseRoles() {}

    /** The service called {@code name}. */
    public static Service of(String name) {
        return SERVICES.stream()
                .filter(service -> service.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service with a database is called '" + name + "'"));
    }

    /**
     * Creates every login or brings it to its attributes and {@code credentials}' password, in one transaction that
     * holds a server-wide lock, so that two set-ups at once cannot half-create them. {@code superuser} is a superuser's
     * connection to any database of the server.
     */
    public static void createRoles(Connection superuser, DatabaseCredentials credentials) throws SQLException {
        boolean autoCommit = superuser.getAutoCommit();
        superuser.setAutoCommit(false);
        try (Statement statement = superuser.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + ROLES_LOCK + ")");
            for (String sql : roleStatements(credentials)) {
                statement.execute(sql);
            }
            superuser.commit();
        } catch (SQLException e) {
            superuser.rollback();
            throw e;
        } finally {
            superuser.setAutoCommit(autoCommit);
        }
    }

    /**
     * Prepares {@code database} for the services ({@link #databaseStatements}); {@code superuser} is a superuser's
     * connection to it, and the roles exist.
     */
    public static void prepareDatabase(Connection superuser, String database) throws SQLException {
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "database name must be lower-case letters, digits and '_' (got '" + database + "')");
        }
        try (Statement statement = superuser.createStatement()) {
            for (String sql : databaseStatements(database)) {
                statement.execute(sql);
            }
        }
    }

    /** Every service login and migration login, in the order they are created. */
    public static List<String> logins() {
        List<String> logins = new ArrayList<>();
        for (Service service : SERVICES) {
            logins.add(service.login());
            if (service.migrationLogin() != null) {
                logins.add(service.migrationLogin());
            }
        }
        return logins;
    }

    /**
     * Statements for the superuser, in any database of the server, that create every login or bring an existing one
     * to exactly these attributes and its password (so they also rotate passwords), and make the backup login a
     * member of every other schema owner.
     */
    static List<String> roleStatements(DatabaseCredentials credentials) {
        List<String> statements = new ArrayList<>();
        for (String login : logins()) {
            statements.add("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + login
                    + "') THEN CREATE ROLE " + login + "; END IF; END $$");
            statements.add("ALTER ROLE " + login
                    + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD '"
                    + credentials.password(login) + "'");
        }
        String owners = SERVICES.stream()
                .filter(service -> service != BACKUP)
                .map(Service::schemaOwner)
                .collect(Collectors.joining(", "));
        statements.add("GRANT " + owners + " TO " + BACKUP.login() + " WITH INHERIT TRUE, SET TRUE");
        return statements;
    }

    /**
     * Statements for the superuser, connected to {@code database}, that let only the platform's logins connect, take
     * {@code CREATE} on the public schema from everyone, create each service's schema owned by its owner and give
     * the owner whatever an older install left in that schema owned by someone else.
     */
    static List<String> databaseStatements(String database) {
        List<String> statements = new ArrayList<>();
        statements.add("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
        statements.add("GRANT CONNECT ON DATABASE " + database + " TO " + String.join(", ", logins()));
        // a restore drops and re-creates each schema
        statements.add("GRANT CREATE ON DATABASE " + database + " TO " + BACKUP.login());
        statements.add("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        for (Service service : SERVICES) {
            String schema = service.schema();
            String owner = service.schemaOwner();
            statements.add("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + owner);
            statements.add("ALTER SCHEMA " + schema + " OWNER TO " + owner);
            statements.add(reassignStatement(schema, owner));
        }
        return statements;
    }

    /** Gives {@code owner} the relations, routines and types of {@code schema} another role owns. */
    private static String reassignStatement(String schema, String owner) {
        return """
                DO $$
                DECLARE statement TEXT;
                BEGIN
                    FOR statement IN
                        SELECT format('ALTER %s %I.%I OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE'
                                      WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                                      n.nspname, c.relname, '{owner}')
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                          AND c.relowner <> '{owner}'::regrole
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                          AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
                        UNION ALL
                        SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, '{owner}')
                        FROM pg_proc p WHERE p.pronamespace = '{schema}'::regnamespace AND p.proowner <> '{owner}'::regrole
                        UNION ALL
                        SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, '{owner}')
                        FROM pg_type t WHERE t.typnamespace = '{schema}'::regnamespace AND t.typtype IN ('e', 'd')
                          AND t.typowner <> '{owner}'::regrole
                    LOOP
                        EXECUTE statement;
                    END LOOP;
                END
                $$""".replace("{schema}", schema).replace("{owner}", owner);
    }
}
