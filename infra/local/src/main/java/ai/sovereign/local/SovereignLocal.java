package ai.sovereign.local;

import ai.sovereign.events.KafkaAccess;
import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.KafkaAccessSetup;
import ai.sovereign.testkit.KafkaCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code java -jar infra/local/target/sovereign-local.jar}: the platform on one machine, on its embedded default.
 * Runs until SIGTERM or Ctrl-C, then stops everything cleanly. Exit code 2 when the data directory is in use by
 * another instance, 1 when start-up fails otherwise.
 *
 * <p>{@code java -jar sovereign-local.jar keys <dir>} writes the service key pairs of a platform into {@code <dir>}
 * (for compose and Kubernetes, see docs/security.md) and exits: the keys already there are kept.
 * {@code java -jar sovereign-local.jar kafka-setup <host:port>} applies the platform's Kafka users and ACLs to a broker;
 * {@code java -jar sovereign-local.jar postgres-setup <jdbc-url>} creates the platform's database logins and schemas.
 */
public final class SovereignLocal {

    private SovereignLocal() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "keys".equals(args[0])) {
            writeKeys(args);
            return;
        }
        if (args.length > 0 && "kafka-setup".equals(args[0])) {
            System.exit(setUpKafka(args, System.getenv()));
            return;
        }
        if (args.length > 0 && "postgres-setup".equals(args[0])) {
            System.exit(setUpPostgres(args, System.getenv()));
            return;
        }
        long started = System.nanoTime();
        System.setProperty("sovereign.service", "sovereign-local");
        LocalSettings settings;
        AllInOne allInOne;
        try {
            settings = LocalSettings.fromEnvironment(System.getenv());
            allInOne = AllInOne.start(settings);
        } catch (DataDirectoryLock.AlreadyRunningException e) {
            System.err.println("sovereign-local: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("sovereign-local: start-up failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            allInOne.close();
                            stopped.countDown();
                        },
                        "sovereign-local-shutdown"));
        StringBuilder banner = new StringBuilder(String.format(
                """

                Sovereign AI Platform (all-in-one) ready in %.1f s; data in %s
                  PostgreSQL                 jdbc:postgresql://127.0.0.1:%d/%s (one login per service; passwords in %s)
                  Kafka                      %s (SASL/SCRAM-SHA-512; passwords in %s)
                  Neo4j                      %s
                  GET /metrics, /health details need Authorization: Bearer <token in %s>
                """,
                (System.nanoTime() - started) / 1e9,
                settings.dataDir(),
                allInOne.platform().postgres().port(),
                LocalSettings.DATABASE,
                settings.dataDir().resolve("keys").resolve(PasswordsFile.POSTGRES.file()),
                allInOne.platform().kafka().bootstrapServers(),
                settings.dataDir().resolve("keys").resolve(PasswordsFile.KAFKA.file()),
                allInOne.platform().neo4j().boltUri(),
                settings.dataDir().resolve("keys").resolve(PasswordsFile.MANAGEMENT.file())));
        allInOne.serviceUrls().forEach((name, url) -> banner.append(String.format("  %-26s %s%n", name, url)));
        allInOne.inferenceUrls()
                .forEach((host, url) -> banner.append(String.format(
                        "  %-26s %s (simulated Ollama: %s)%n",
                        "inference " + host, url, String.join(", ", GpuHost.MODELS))));
        Path keyFile = PlatformServices.bootstrapKeyFile(settings);
        if (Files.isRegularFile(keyFile)) {
            // the path only: standard output ends up in log collectors, the key stays in its owner-only file
            banner.append(String.format(
                    "  %-26s in %s (owner-only; create your own admin key with it, then revoke it)%n",
                    "bootstrap admin key", keyFile));
        }
        banner.append("Stop with Ctrl-C or SIGTERM.\n");
        System.out.println(banner);
        stopped.await();
    }

    private static void writeKeys(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java -jar sovereign-local.jar keys <directory>");
            System.exit(64);
        }
        PlatformKeys keys = PlatformKeys.loadOrGenerate(Path.of(args[1]));
        for (String service : PlatformKeys.SIGNING_SERVICES) {
            System.out.printf(
                    "%-16s private key %s (give it to %s only: SOVEREIGN_SECURITY_SIGNING_KEY)%n",
                    service, keys.signingKey(service), service);
        }
        System.out.printf(
                "%-16s public keys %s (give it to every service: SOVEREIGN_SECURITY_TRUSTED_KEYS)%n",
                "all", keys.trustedKeys());
        Path directory = Path.of(args[1]);
        written(directory, PasswordsFile.KAFKA, "kafka", "each service gets its own as SOVEREIGN_KAFKA_PASSWORD");
        written(
                directory,
                PasswordsFile.POSTGRES,
                "postgres",
                "each service gets its own as DATASOURCES_DEFAULT_PASSWORD");
        written(directory, PasswordsFile.MANAGEMENT, "management", "every service and Prometheus get it");
        written(directory, PasswordsFile.BACKUP_KEY, "backup-service", "keep a copy offline");
    }

    /**
     * {@code kafka-setup <bootstrap>}: logs in to a broker's internal listener as {@code admin} (SASL PLAIN) and
     * applies the platform's Kafka users and ACLs (KafkaAccess), the passwords taken from the environment's
     * {@code KAFKA_<PRINCIPAL>_PASSWORD} variables. Idempotent: compose runs it before the services start.
     */
    static int setUpKafka(String[] args, Map<String, String> environment) {
        if (args.length != 2) {
            System.err.println("usage: java -jar sovereign-local.jar kafka-setup <host:port of the internal listener>");
            return 64;
        }
        Map<String, String> passwords = passwords(PasswordsFile.KAFKA, environment, "kafka-setup");
        if (passwords == null) {
            return 64;
        }
        KafkaCredentials credentials = KafkaCredentials.of(passwords);
        try (Admin admin = Admin.create(credentials.adminSettings(args[1]))) {
            KafkaAccessSetup.apply(admin, credentials, List.of(), Duration.ofSeconds(60));
            System.out.println("kafka-setup: users and ACLs of " + String.join(", ", KafkaAccess.servicePrincipals())
                    + " applied at " + args[1]);
            return 0;
        } catch (Exception e) {
            System.err.println("kafka-setup: could not apply the users and ACLs at " + args[1] + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * {@code postgres-setup <jdbc-url>}: logs in to the database at {@code jdbc-url} as the superuser ({@code
     * POSTGRES_PASSWORD}) and creates the platform's logins (DatabaseRoles) with the passwords of the environment's
     * {@code POSTGRES_<LOGIN>_PASSWORD} variables, and each service's schema owned by its owner. Idempotent (it also
     * rotates passwords and hands an older install's schemas to their owners): compose runs it before the services.
     */
    static int setUpPostgres(String[] args, Map<String, String> environment) {
        if (args.length != 2 || !args[1].startsWith("jdbc:postgresql://")) {
            System.err.println(
                    "usage: java -jar sovereign-local.jar postgres-setup jdbc:postgresql://<host>:<port>/<db>");
            return 64;
        }
        Map<String, String> passwords = passwords(PasswordsFile.POSTGRES, environment, "postgres-setup");
        if (passwords == null) {
            return 64;
        }
        String url = args[1];
        String database = url.replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("[?].*$", "");
        DatabaseCredentials credentials;
        try {
            credentials = DatabaseCredentials.of(passwords);
        } catch (IllegalArgumentException e) {
            System.err.println("postgres-setup: " + e.getMessage());
            return 64;
        }
        try (Connection superuser = DriverManager.getConnection(
                url, DatabaseRoles.SUPERUSER, credentials.password(DatabaseRoles.SUPERUSER))) {
            DatabaseRoles.createRoles(superuser, credentials);
            DatabaseRoles.prepareDatabase(superuser, database);
            System.out.println("postgres-setup: logins " + String.join(", ", DatabaseRoles.logins())
                    + " and the services' schemas set up in " + url);
            return 0;
        } catch (SQLException | IllegalArgumentException e) {
            System.err.println(
                    "postgres-setup: could not set up the logins and schemas in " + url + ": " + e.getMessage());
            return 1;
        }
    }

    /** Writes {@code file}'s missing passwords into {@code directory} and says where they are and who gets them. */
    private static void written(Path directory, PasswordsFile file, String label, String who) {
        file.loadOrGenerate(directory);
        System.out.printf(
                "%-16s %s: %s (lines to append to infra/.env; %s)%n",
                label, file.what(), directory.resolve(file.file()), who);
    }

    /** The passwords of {@code file} from the environment, or null after saying which variables {@code command} needs. */
    private static Map<String, String> passwords(PasswordsFile file, Map<String, String> environment, String command) {
        List<String> missing = new ArrayList<>();
        Map<String, String> passwords = file.fromEnvironment(environment, missing);
        if (!missing.isEmpty()) {
            System.err.println(command + ": set " + String.join(", ", missing)
                    + " (java -jar sovereign-local.jar keys <dir> writes them to <dir>/" + file.file() + ")");
            return null;
        }
        return passwords;
    }
}
