package ai.sovereign.deployment;

import static ai.sovereign.deployment.RepositoryFiles.at;
import static ai.sovereign.deployment.RepositoryFiles.list;
import static ai.sovereign.deployment.RepositoryFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ComposeFileTest {

    private static final Set<String> PLATFORM_SERVICES =
            Set.of("gateway", "router", "ingestion", "backup-service", "audit-service", "gpu-agent");

    private final Path composeFile = RepositoryFiles.resolve("infra/docker-compose.yml");

    @Test
    void composeRunsStoresMonitoringAndEveryServiceEachWithAHealthCheck() {
        Map<String, Object> services = map(RepositoryFiles.yaml(composeFile).get("services"));
        Set<String> expected = new HashSet<>(PLATFORM_SERVICES);
        expected.addAll(Set.of(
                "postgres",
                "kafka",
                "neo4j",
                "milvus",
                "etcd",
                "minio",
                "prometheus",
                "alertmanager",
                "grafana",
                "ollama"));
        assertTrue(
                services.keySet().containsAll(expected),
                "missing: "
                        + expected.stream()
                                .filter(s -> !services.containsKey(s))
                                .toList());
        services.forEach((name, definition) -> {
            if ("no".equals(map(definition).get("restart"))) {
                return; // a one-shot container (kafka-setup, postgres-setup): the services wait for it to complete
                // instead
            }
            Object test = at(map(definition), "healthcheck", "test");
            assertTrue(test != null, name + " has no healthcheck");
        });
    }

    @Test
    void kafkaTakesOnlySaslLoginsAndEachServiceWaitsForTheSetUpAndGetsOnlyItsOwnPassword() {
        Map<String, Object> services = map(RepositoryFiles.yaml(composeFile).get("services"));
        Map<String, Object> kafka = map(map(services.get("kafka")).get("environment"));
        for (String protocol : String.valueOf(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
                .split(",")) {
            assertTrue(protocol.endsWith(":SASL_PLAINTEXT"), protocol);
        }
        assertEquals(
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer", kafka.get("KAFKA_AUTHORIZER_CLASS_NAME"));
        assertEquals("false", String.valueOf(kafka.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")));
        for (String service : PLATFORM_SERVICES) {
            Map<String, Object> definition = map(services.get(service));
            Map<String, Object> environment = new java.util.HashMap<>(map(definition.get("environment")));
            String own = "${KAFKA_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PASSWORD:?}";
            assertEquals(own, environment.get("SOVEREIGN_KAFKA_PASSWORD"), service);
            environment.remove("SOVEREIGN_KAFKA_PASSWORD");
            assertTrue(
                    environment.values().stream()
                            .noneMatch(value -> String.valueOf(value).contains("KAFKA_")
                                    && String.valueOf(value).contains("_PASSWORD")),
                    service + " gets another principal's Kafka password");
            assertEquals(
                    Map.of("condition", "service_completed_successfully"),
                    at(definition, "depends_on", "kafka-setup"),
                    service + " waits for kafka-setup");
        }
    }

    @Test
    void eachServiceLogsInToPostgresqlAsItsOwnLoginAfterTheSetUpAndGetsOnlyItsOwnPassword() {
        Map<String, Object> services = map(RepositoryFiles.yaml(composeFile).get("services"));
        Map<String, String> logins = Map.of(
                "gateway", "GATEWAY",
                "router", "ROUTER",
                "ingestion", "INGESTION",
                "backup-service", "BACKUP",
                "audit-service", "AUDIT");
        logins.forEach((service, login) -> {
            Map<String, Object> definition = map(services.get(service));
            Map<String, Object> environment = new java.util.HashMap<>(map(definition.get("environment")));
            assertEquals(
                    "${POSTGRES_" + login + "_PASSWORD:?}",
                    environment.remove("DATASOURCES_DEFAULT_PASSWORD"),
                    service);
            if (service.equals("audit-service")) {
                assertEquals(
                        "${POSTGRES_AUDIT_OWNER_PASSWORD:?}", environment.remove("POSTGRES_OWNER_PASSWORD"), service);
            }
            assertTrue(
                    environment.values().stream()
                            .noneMatch(value -> String.valueOf(value).contains("POSTGRES_")),
                    service + " gets another login's database password");
            assertTrue(!environment.containsKey("DATASOURCES_DEFAULT_USERNAME"), service + " logs in as its own login");
            assertEquals(
                    Map.of("condition", "service_completed_successfully"),
                    at(definition, "depends_on", "postgres-setup"),
                    service + " waits for postgres-setup");
        });
        assertEquals(
                java.util.List.of(
                        "java",
                        "-jar",
                        "/opt/sovereign/sovereign-local.jar",
                        "postgres-setup",
                        "jdbc:postgresql://postgres:5432/sovereign"),
                map(services.get("postgres-setup")).get("command"));
    }

    @Test
    void ollamaAndTheGpuAgentRunOnlyInTheGpuProfile() {
        Map<String, Object> services = map(RepositoryFiles.yaml(composeFile).get("services"));
        assertEquals(java.util.List.of("gpu"), at(map(services.get("ollama")), "profiles"));
        assertEquals(java.util.List.of("gpu"), at(map(services.get("gpu-agent")), "profiles"));
    }

    @Test
    void onlyTheGatewayAndTheMonitoringUisPublishPorts() {
        Map<String, Object> services = map(RepositoryFiles.yaml(composeFile).get("services"));
        Set<String> publishing = new TreeSet<>();
        services.forEach((name, definition) -> {
            if (!list(map(definition).get("ports")).isEmpty()) {
                publishing.add(name);
            }
        });
        assertEquals(new TreeSet<>(Set.of("gateway", "grafana", "prometheus")), publishing);
    }

    @Test
    void everyServiceImageIsBuiltFromADockerfileThatCopiesItsJarAndChecksHealth() throws IOException {
        Map<String, Object> services = map(RepositoryFiles.yaml(composeFile).get("services"));
        for (String service : PLATFORM_SERVICES) {
            String dockerfile = (String) at(map(services.get(service)), "build", "dockerfile");
            assertEquals(service + "/Dockerfile", dockerfile, service + " build.dockerfile");
            String content = Files.readString(RepositoryFiles.resolve(dockerfile));
            assertTrue(
                    content.contains("COPY " + service + "/target/" + service + ".jar"),
                    dockerfile + " copies the jar");
            assertTrue(
                    content.contains("HEALTHCHECK") && content.contains("/health"), dockerfile + " has a health check");
            assertTrue(content.contains("USER 10001"), dockerfile + " runs as a non-root user");
        }
    }

    @Test
    void everyVariableTheComposeFileReadsIsListedInTheEnvExampleAndNoEnvFileIsCommitted() throws IOException {
        String compose = Files.readString(composeFile);
        Set<String> used = new TreeSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(compose);
        while (variable.find()) {
            used.add(variable.group(1));
        }
        used.remove("HOSTNAME");
        String example = Files.readString(RepositoryFiles.resolve("infra/.env.example"));
        for (String name : used) {
            assertTrue(
                    Pattern.compile("(?m)^" + name + "=").matcher(example).find(),
                    name + " is not in infra/.env.example");
        }
        assertTrue(
                !Files.exists(RepositoryFiles.resolve("infra/.env"))
                        || Files.readString(RepositoryFiles.resolve(".gitignore"))
                                .lines()
                                .anyMatch(".env"::equals),
                "infra/.env must stay out of git");
    }
}
