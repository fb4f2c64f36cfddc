package ai.sovereign.deployment;

import static ai.sovereign.deployment.RepositoryFiles.at;
import static ai.sovereign.deployment.RepositoryFiles.list;
import static ai.sovereign.deployment.RepositoryFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {

    private final List<Map<String, Object>> base = baseDocuments();

    @Test
    void everyWorkloadProbesHealthAndSetsRequestsAndLimits() {
        List<Map<String, Object>> workloads = ofKind("Deployment", "DaemonSet");
        assertEquals(
                Set.of("gateway", "router", "ingestion", "backup-service", "audit-service", "gpu-agent"),
                Set.copyOf(workloads.stream().map(KubernetesManifestsTest::name).toList()));
        for (Map<String, Object> workload : workloads) {
            for (Object c : list(at(workload, "spec", "template", "spec", "containers"))) {
                Map<String, Object> container = map(c);
                String where = name(workload) + "/" + container.get("name");
                assertEquals("/health", at(container, "readinessProbe", "httpGet", "path"), where + " readiness");
                assertEquals("/health", at(container, "livenessProbe", "httpGet", "path"), where + " liveness");
                assertTrue(
                        at(container, "resources", "requests", "cpu") != null
                                && at(container, "resources", "requests", "memory") != null,
                        where + " requests");
                assertTrue(
                        at(container, "resources", "limits", "cpu") != null
                                && at(container, "resources", "limits", "memory") != null,
                        where + " limits");
            }
        }
    }

    @Test
    void gatewayRouterAndIngestionAutoscaleAndEveryDeploymentHasADisruptionBudget() {
        assertEquals(
                Set.of("gateway", "router", "ingestion"),
                Set.copyOf(ofKind("HorizontalPodAutoscaler").stream()
                        .map(KubernetesManifestsTest::name)
                        .toList()));
        Set<String> budgets = Set.copyOf(ofKind("PodDisruptionBudget").stream()
                .map(KubernetesManifestsTest::name)
                .toList());
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            assertTrue(budgets.contains(name(deployment)), name(deployment) + " has no PodDisruptionBudget");
        }
    }

    @Test
    void gpuAgentIsADaemonSetOnGpuNodesOnly() {
        Map<String, Object> agent = ofKind("DaemonSet").getFirst();
        assertEquals("gpu-agent", name(agent));
        assertEquals("true", at(agent, "spec", "template", "spec", "nodeSelector", "nvidia.com/gpu.present"));
    }

    @Test
    void onlyTheGatewayIsOpenToTrafficFromOutsideThePlatform() {
        Map<String, Map<String, Object>> policies = new HashMap<>();
        ofKind("NetworkPolicy").forEach(p -> policies.put(name(p), p));
        Map<String, Object> denyAll = policies.get("default-deny-ingress");
        assertTrue(
                denyAll != null
                        && map(at(denyAll, "spec", "podSelector")).isEmpty()
                        && list(at(denyAll, "spec", "ingress")).isEmpty(),
                "a default deny of all ingress");
        for (Map<String, Object> policy : policies.values()) {
            for (Object rule : list(at(policy, "spec", "ingress"))) {
                if (map(rule).get("from") == null) {
                    assertEquals(
                            Map.of("app.kubernetes.io/name", "gateway"),
                            at(policy, "spec", "podSelector", "matchLabels"),
                            name(policy) + " opens pods other than the gateway to any source");
                }
            }
        }
    }

    @Test
    void noSecretValuesAreCommittedOnlyReferences() {
        assertTrue(ofKind("Secret").isEmpty(), "a Secret is committed");
        List<Object> references = new ArrayList<>();
        for (Map<String, Object> workload : ofKind("Deployment", "DaemonSet")) {
            for (Object c : list(at(workload, "spec", "template", "spec", "containers"))) {
                for (Object env : list(map(c).get("env"))) {
                    Object ref = at(map(env), "valueFrom", "secretKeyRef", "name");
                    if (ref != null) {
                        references.add(ref);
                    }
                    if (String.valueOf(map(env).get("name")).contains("SECRET")) {
                        assertFalse(
                                map(env).containsKey("value"),
                                name(workload) + " has a literal " + map(env).get("name"));
                    }
                }
            }
        }
        assertFalse(references.isEmpty());
        assertTrue(
                references.stream()
                        .allMatch(ref -> "sovereign-secrets".equals(ref)
                                || String.valueOf(ref).startsWith("sovereign-kafka-")
                                || String.valueOf(ref).startsWith("sovereign-postgres-")
                                || "sovereign-management".equals(ref)),
                "secret references: " + references);
    }

    @Test
    void everyServiceLogsInToKafkaWithItsOwnPasswordSecretOnly() {
        Map<String, List<String>> kafkaSecrets = new HashMap<>();
        for (Map<String, Object> workload : ofKind("Deployment", "DaemonSet")) {
            for (Object c : list(at(workload, "spec", "template", "spec", "containers"))) {
                for (Object env : list(map(c).get("env"))) {
                    Object ref = at(map(env), "valueFrom", "secretKeyRef", "name");
                    if (ref != null && String.valueOf(ref).startsWith("sovereign-kafka-")) {
                        assertEquals("SOVEREIGN_KAFKA_PASSWORD", map(env).get("name"), name(workload));
                        kafkaSecrets
                                .computeIfAbsent(name(workload), k -> new ArrayList<>())
                                .add(String.valueOf(ref));
                    }
                }
            }
        }
        Map<String, List<String>> expected = new HashMap<>();
        for (String service :
                List.of("gateway", "router", "ingestion", "backup-service", "audit-service", "gpu-agent")) {
            expected.put(service, List.of("sovereign-kafka-" + service));
        }
        assertEquals(expected, kafkaSecrets);
    }

    @Test
    void everyServiceGetsTheManagementTokenFromItsSecret() {
        for (Map<String, Object> workload : ofKind("Deployment", "DaemonSet")) {
            boolean found = false;
            for (Object c : list(at(workload, "spec", "template", "spec", "containers"))) {
                for (Object env : list(map(c).get("env"))) {
                    if ("SOVEREIGN_MANAGEMENT_TOKEN".equals(map(env).get("name"))) {
                        assertEquals("sovereign-management", at(map(env), "valueFrom", "secretKeyRef", "name"));
                        found = true;
                    }
                }
            }
            assertTrue(found, name(workload) + " gets SOVEREIGN_MANAGEMENT_TOKEN");
        }
    }

    @Test
    void everyServiceLogsInToPostgresqlWithItsOwnLoginsPasswordSecretOnly() {
        Map<String, List<String>> postgresSecrets = new HashMap<>();
        for (Map<String, Object> workload : ofKind("Deployment", "DaemonSet")) {
            for (Object c : list(at(workload, "spec", "template", "spec", "containers"))) {
                for (Object env : list(map(c).get("env"))) {
                    Object ref = at(map(env), "valueFrom", "secretKeyRef", "name");
                    if (ref != null && String.valueOf(ref).startsWith("sovereign-postgres-")) {
                        postgresSecrets
                                .computeIfAbsent(name(workload), k -> new ArrayList<>())
                                .add(map(env).get("name") + "=" + ref + "/"
                                        + at(map(env), "valueFrom", "secretKeyRef", "key"));
                    }
                    assertFalse(
                            "DATASOURCES_DEFAULT_USERNAME".equals(map(env).get("name")),
                            name(workload) + " must log in as its own login (the service's default)");
                }
            }
        }
        Map<String, List<String>> expected = new HashMap<>();
        for (String service : List.of("gateway", "router", "ingestion", "backup-service")) {
            expected.put(service, List.of("DATASOURCES_DEFAULT_PASSWORD=sovereign-postgres-" + service + "/password"));
        }
        expected.put(
                "audit-service",
                List.of(
                        "DATASOURCES_DEFAULT_PASSWORD=sovereign-postgres-audit-service/password",
                        "POSTGRES_OWNER_PASSWORD=sovereign-postgres-audit-service/owner-password"));
        assertEquals(expected, postgresSecrets);
    }

    @Test
    void onlyTheServicesThatCallOthersMountTheirOwnTokenKeyAndEveryOneTheTrustedKeys() {
        Map<String, String> signingSecrets = new HashMap<>();
        for (Map<String, Object> workload : ofKind("Deployment", "DaemonSet")) {
            List<String> secrets = new ArrayList<>();
            List<String> configMaps = new ArrayList<>();
            for (Object volume : list(at(workload, "spec", "template", "spec", "volumes"))) {
                Object secret = at(map(volume), "secret", "secretName");
                if (secret != null && String.valueOf(secret).endsWith("-token-key")) {
                    secrets.add(String.valueOf(secret));
                }
                Object configMap = at(map(volume), "configMap", "name");
                if (configMap != null) {
                    configMaps.add(String.valueOf(configMap));
                }
            }
            assertTrue(secrets.size() <= 1, name(workload) + " mounts one signing key at most: " + secrets);
            secrets.forEach(secret -> signingSecrets.put(name(workload), secret));
            if (!name(workload).equals("gpu-agent")) {
                assertTrue(configMaps.contains("sovereign-trusted-keys"), name(workload) + " mounts the trusted keys");
            }
        }
        assertEquals(
                Map.of(
                        "gateway", "sovereign-gateway-token-key",
                        "ingestion", "sovereign-ingestion-token-key",
                        "backup-service", "sovereign-backup-service-token-key"),
                signingSecrets,
                "the router, audit-service and gpu-agent hold no signing key");
    }

    @Test
    void overlaysDevAndProdBuildOnTheBaseInTheirOwnNamespaces() {
        for (String overlay : List.of("dev", "prod")) {
            Map<String, Object> kustomization = RepositoryFiles.yaml(
                    RepositoryFiles.resolve("infra/k8s/overlays/" + overlay + "/kustomization.yaml"));
            assertTrue(list(kustomization.get("resources")).contains("../../base"), overlay + " uses the base");
            assertTrue(kustomization.get("namespace") instanceof String, overlay + " sets a namespace");
        }
        Map<String, Object> base = RepositoryFiles.yaml(RepositoryFiles.resolve("infra/k8s/base/kustomization.yaml"));
        for (Object resource : list(base.get("resources"))) {
            assertTrue(
                    RepositoryFiles.resolve("infra/k8s/base/" + resource)
                            .toFile()
                            .isFile(),
                    resource + " exists");
        }
    }

    private List<Map<String, Object>> ofKind(String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return base.stream()
                .filter(d -> wanted.contains(String.valueOf(d.get("kind"))))
                .toList();
    }

    private static String name(Map<String, Object> document) {
        return (String) at(document, "metadata", "name");
    }

    private static List<Map<String, Object>> baseDocuments() {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Path file : RepositoryFiles.list("infra/k8s/base", ".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                documents.addAll(RepositoryFiles.yamlDocuments(file));
            }
        }
        return documents;
    }
}
