package ai.sovereign.testkit;

import ai.sovereign.events.KafkaAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run in this JVM from the
 * {@code org.apache.kafka:kafka_2.13} artifact, with SASL/SCRAM authentication and ACLs as in production. The log directory is formatted on first start and reused after,
 * so the all-in-one launcher keeps its topics across restarts.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String internalBootstrapServers;
    private final KafkaCredentials credentials;
    private final Path logDir;
    private final String clientProtocol;

    private KafkaBroker(
            KafkaRaftServer server,
            String bootstrapServers,
            String internalBootstrapServers,
            KafkaCredentials credentials,
            Path logDir,
            String clientProtocol) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.internalBootstrapServers = internalBootstrapServers;
        this.credentials = credentials;
        this.logDir = logDir;
        this.clientProtocol = clientProtocol;
    }

    /** {@link #start(Path, int, KafkaCredentials, Collection)} with new random passwords and only the table's ACLs. */
    public static KafkaBroker start(Path logDir, int port) {
        return start(logDir, port, KafkaCredentials.generate(), List.of());
    }

    /**
     * Starts a broker storing its log under {@code logDir} and listening for clients on {@code port} (0 picks a free
     * port), with authentication and authorisation on: clients log in with SCRAM-SHA-512 as one of the principals of
     * {@code credentials}, and each service principal may do only what {@link KafkaAccess} grants it (plus
     * {@code extraGrants}). The broker's own traffic and its admin use a second listener, PLAIN on the loopback
     * interface. Returns once the users and ACLs are in place.
     */
    public static KafkaBroker start(
            Path logDir, int port, KafkaCredentials credentials, Collection<AclBinding> extraGrants) {
        return start(logDir, port, credentials, extraGrants, null);
    }

    /**
     * Starts a broker as {@link #start(Path, int, KafkaCredentials, Collection)} does; with {@code tls} its client
     * listener takes SASL over TLS only ({@code SASL_SSL}, the key store of {@code tls}).
     */
    public static KafkaBroker start(
            Path logDir,
            int port,
            KafkaCredentials credentials,
            Collection<AclBinding> extraGrants,
            TestCertificates.ServerTls tls) {
        int brokerPort = FreePorts.orNext(port);
        int internalPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        Map<String, String> config = new HashMap<>(brokerConfig(
                logDir, brokerPort, internalPort, controllerPort, credentials.password(KafkaAccess.ADMIN)));
        if (tls != null) {
            config.put(
                    "listener.security.protocol.map",
                    "CLIENT:SASL_SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            config.put(
                    "listener.name.client.ssl.keystore.location",
                    tls.keyStore().toAbsolutePath().toString());
            config.put("listener.name.client.ssl.keystore.type", "PKCS12");
            config.put("listener.name.client.ssl.keystore.password", new String(TestCertificates.PASSWORD));
            config.put("listener.name.client.ssl.key.password", new String(TestCertificates.PASSWORD));
        }
        try {
            Files.createDirectories(logDir);
            format(logDir, config);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(
                server,
                "127.0.0.1:" + brokerPort,
                "127.0.0.1:" + internalPort,
                credentials,
                logDir,
                tls == null ? "SASL_PLAINTEXT" : "SASL_SSL");
        broker.awaitReadyAndGrant(extraGrants);
        LOG.info("Kafka broker (KRaft, SASL/SCRAM, ACLs) ready at {} with log dir {}", broker.bootstrapServers, logDir);
        return broker;
    }

    private static Map<String, String> brokerConfig(
            Path logDir, int brokerPort, int internalPort, int controllerPort, String adminPassword) {
        String plainAdmin = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + KafkaAccess.ADMIN + "\" password=\"" + adminPassword + "\" user_" + KafkaAccess.ADMIN + "=\""
                + adminPassword + "\";";
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry(
                        "listeners",
                        "CLIENT://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort
                                + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry(
                        "advertised.listeners",
                        "CLIENT://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "INTERNAL"),
                Map.entry(
                        "listener.security.protocol.map",
                        "CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"),
                Map.entry("listener.name.client.sasl.enabled.mechanisms", KafkaCredentials.MECHANISM),
                Map.entry(
                        "listener.name.client.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("listener.name.internal.sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("listener.name.internal.plain.sasl.jaas.config", plainAdmin),
                Map.entry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("listener.name.controller.plain.sasl.jaas.config", plainAdmin),
                Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("super.users", "User:" + KafkaAccess.ADMIN),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                Map.entry("num.partitions", "3"),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("group.coordinator.rebalance.protocols", "classic,consumer"),
                Map.entry("log.flush.interval.messages", "1000"),
                Map.entry("unstable.api.versions.enable", "false"));
    }

    private static void format(Path logDir, Map<String, String> config) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toAbsolutePath().toString())
                .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                .setControllerListenerName(config.get("controller.listener.names"))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true);
        formatter.run();
    }

    /** Waits until the broker answers its admin, then applies the users and ACLs. */
    private void awaitReadyAndGrant(Collection<AclBinding> extraGrants) {
        Map<String, Object> props = new HashMap<>(adminSettings());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        break;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "Kafka broker at " + bootstrapServers + " did not become ready in "
                                        + READY_TIMEOUT.toSeconds() + " s",
                                e);
                    }
                }
            }
            KafkaAccessSetup.apply(admin, credentials, extraGrants, READY_TIMEOUT);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not set up the Kafka users and ACLs at " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** An admin client's settings on the internal listener, logged in as the super user. */
    public Map<String, Object> adminSettings() {
        return credentials.adminSettings(internalBootstrapServers);
    }

    /** Settings for a plain Kafka client on the client listener, logged in as {@code principal}. */
    public Map<String, Object> clientSettings(String principal) {
        Map<String, Object> settings = new HashMap<>(credentials.clientSettings(principal));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, clientProtocol);
        return settings;
    }

    /** Micronaut properties that connect a service to this broker as {@code principal} (its own credentials). */
    public Map<String, String> serviceProperties(String principal) {
        return Map.of(
                "kafka.bootstrap.servers",
                bootstrapServers,
                "kafka.security.protocol",
                clientProtocol,
                "sovereign.kafka.username",
                principal,
                "sovereign.kafka.password",
                credentials.password(principal));
    }

    public KafkaCredentials credentials() {
        return credentials;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
