package ai.sovereign.runtime.startup;

import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.value.PropertyResolver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/** One attempt to reach a dependency with the service's configuration; returns null when reachable, else why not. */
final class DependencyProbe {

    private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"([^\"]*)\"");

    /**
     * Why a dependency could not be used: {@code refused} when it answered and turned the service's login down
     * (waiting will not change that), otherwise it could not be reached.
     */
    record Problem(String why, boolean refused) {}

    private DependencyProbe() {}

    static String address(Dependency dependency, PropertyResolver config) {
        return switch (dependency) {
            case POSTGRES ->
                config.getProperty("datasources.default.url", String.class).orElse("(not configured)");
            case KAFKA ->
                config.getProperty("kafka.bootstrap.servers", String.class).orElse("localhost:9092");
            case NEO4J -> config.getProperty("neo4j.uri", String.class).orElse("(not configured)");
        };
    }

    static Problem problem(Dependency dependency, PropertyResolver config) {
        try {
            String why = switch (dependency) {
                case POSTGRES -> postgres(config);
                case KAFKA -> kafka(config);
                case NEO4J -> neo4j(config);
            };
            return why == null ? null : new Problem(why, false);
        } catch (SaslAuthenticationException e) {
            return new Problem(rootMessage(e), true);
        } catch (Exception e) {
            return new Problem(rootMessage(e), false);
        }
    }

    /** The principal the service logs in to Kafka as (the user name of its JAAS line), or null without SASL. */
    static String kafkaPrincipal(PropertyResolver config) {
        String protocol =
                config.getProperty("kafka.security.protocol", String.class).orElse("PLAINTEXT");
        if (!protocol.toUpperCase(java.util.Locale.ROOT).startsWith("SASL")) {
            return null;
        }
        Matcher matcher = JAAS_USERNAME.matcher(
                config.getProperty("kafka.sasl.jaas.config", String.class).orElse(""));
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String postgres(PropertyResolver config) throws Exception {
        String url = config.getProperty("datasources.default.url", String.class).orElse(null);
        if (url == null || url.isBlank()) {
            return "no URL is configured";
        }
        Properties props = new Properties();
        props.setProperty(
                "user",
                config.getProperty("datasources.default.username", String.class).orElse("postgres"));
        props.setProperty(
                "password",
                config.getProperty("datasources.default.password", String.class).orElse(""));
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        try (Connection connection = DriverManager.getConnection(url, props)) {
            return connection.isValid(3) ? null : "the connection was not valid";
        }
    }

    private static String kafka(PropertyResolver config) throws Exception {
        Map<String, Object> settings = new HashMap<>(connectionSettings(config));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address(Dependency.KAFKA, config));
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
        settings.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        try (Admin admin = Admin.create(settings)) {
            admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException refused) {
                throw refused;
            }
            return rootMessage(e);
        } catch (java.util.concurrent.TimeoutException e) {
            return "no broker answered within 5 s";
        }
    }

    /**
     * The service's {@code kafka.security.*}, {@code kafka.ssl.*} and {@code kafka.sasl.*} settings, which
     * micronaut-kafka gives every client: the probe connects the way the service will (TLS, SASL), so that a broker
     * that requires them is not reported as unreachable.
     */
    static Map<String, Object> connectionSettings(PropertyResolver config) {
        Map<String, Object> settings = new HashMap<>();
        config.getProperties("kafka", StringConvention.RAW).forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("ssl.") || key.startsWith("sasl.")) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    private static String neo4j(PropertyResolver config) throws Exception {
        String uri = config.getProperty("neo4j.uri", String.class).orElse(null);
        if (uri == null || uri.isBlank()) {
            return "no URI is configured";
        }
        Class<?> graphDatabase;
        try {
            graphDatabase = Class.forName("org.neo4j.driver.GraphDatabase");
        } catch (ClassNotFoundException e) {
            return "the Neo4j driver is not on the class path";
        }
        return Neo4jProbe.probe(
                uri,
                config.getProperty("neo4j.username", String.class).orElse(""),
                config.getProperty("neo4j.password", String.class).orElse(""),
                config.getProperty("neo4j.trusted-certificate", String.class).orElse(""),
                graphDatabase);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
