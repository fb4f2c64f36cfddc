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
            Object test = at(map(definition), "healthcheck", "test");
            assertTrue(test != null, name + " has no healthcheck");
        });
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
