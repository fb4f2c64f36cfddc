package ai.sovereign.testkit;

import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Neo4j DBMS (from the {@code org.neo4j.test:neo4j-harness} artifacts) run in this JVM with Bolt on loopback.
 * The store lives in the given home directory and survives restarts. Authentication is off: it binds to
 * 127.0.0.1 only and is meant for tests and the single-machine launcher.
 */
public final class Neo4jServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Neo4jServer.class);

    private final DatabaseManagementService dbms;
    private final int boltPort;

    private Neo4jServer(DatabaseManagementService dbms, int boltPort) {
        this.dbms = dbms;
        this.boltPort = boltPort;
    }

    /** Starts Neo4j with its store under {@code homeDir}, Bolt on {@code boltPort} (0 picks a free port). */
    public static Neo4jServer start(Path homeDir, int boltPort) {
        return start(homeDir, boltPort, null);
    }

    /**
     * Starts Neo4j as {@link #start(Path, int)} does; with {@code tls} Bolt takes TLS connections only, with the key
     * and certificate of {@code tls}.
     */
    public static Neo4jServer start(Path homeDir, int boltPort, TestCertificates.ServerTls tls) {
        int port = FreePorts.orNext(boltPort);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(homeDir);
        if (tls != null) {
            SslPolicyConfig bolt = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
            builder.setConfig(bolt.enabled, true)
                    .setConfig(
                            bolt.base_directory, tls.certificate().getParent().toAbsolutePath())
                    .setConfig(bolt.public_certificate, tls.certificate().toAbsolutePath())
                    .setConfig(bolt.private_key, tls.privateKey().toAbsolutePath())
                    .setConfig(bolt.client_auth, ClientAuth.NONE)
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.REQUIRED);
        }
        DatabaseManagementService dbms = builder.setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .build();
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME); // fails fast if the default database did not start
        LOG.info("Neo4j ready with Bolt at 127.0.0.1:{} and home {}", port, homeDir);
        return new Neo4jServer(dbms, port);
    }

    /** {@code bolt://127.0.0.1:port}. */
    public String boltUri() {
        return "bolt://127.0.0.1:" + boltPort;
    }

    public int boltPort() {
        return boltPort;
    }

    @Override
    public void close() {
        dbms.shutdown();
        LOG.info("Neo4j on Bolt port {} stopped", boltPort);
    }
}
