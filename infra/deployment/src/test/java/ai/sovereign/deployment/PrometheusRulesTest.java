package ai.sovereign.deployment;

import static ai.sovereign.deployment.RepositoryFiles.at;
import static ai.sovereign.deployment.RepositoryFiles.list;
import static ai.sovereign.deployment.RepositoryFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusRulesTest {

    /** The alerts the operations guide asks for. */
    private static final Set<String> REQUIRED_ALERTS = Set.of(
            "ServiceDown",
            "AllServersUnhealthy",
            "QueueFull",
            "QueueDepthHigh",
            "ErrorRateHigh",
            "LatencyP95High",
            "GPUMemoryHigh",
            "GPUMemoryCritical",
            "GPUTemperatureHigh",
            "DiskSpaceLow",
            "BackupMissing",
            "BackupVerifyFailed",
            "AuditChainBroken",
            "IngestionFailuresHigh",
            "KafkaConsumerLagHigh");

    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @Test
    void ruleFilesPassPromtoolCheck() {
        List<String> arguments = new ArrayList<>(List.of("check", "rules"));
        RepositoryFiles.list("infra/prometheus/rules", ".yml").forEach(p -> arguments.add(p.toString()));
        Promtool.Result result = Promtool.provision().run(arguments.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void alertUnitTestsPassInPromtool() {
        List<String> arguments = new ArrayList<>(List.of("test", "rules"));
        RepositoryFiles.list("infra/prometheus/tests", ".test.yml").forEach(p -> arguments.add(p.toString()));
        Promtool.Result result = Promtool.provision().run(arguments.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void prometheusConfigPassesPromtoolAndScrapesEveryServiceWithTheManagementToken(@TempDir Path dir)
            throws java.io.IOException {
        Path config = RepositoryFiles.resolve("infra/prometheus/prometheus.yml");
        // promtool checks that the token file exists: the secret compose mounts stands in a temporary directory here
        Path token = Files.writeString(dir.resolve("management_token"), "x".repeat(32));
        Path checked = Files.writeString(
                dir.resolve("prometheus.yml"),
                Files.readString(config).replace("/run/secrets/management_token", token.toString()));
        Promtool.Result result = Promtool.provision().run("check", "config", checked.toString());
        assertEquals(0, result.exitCode(), result.output());

        Set<String> jobs = new HashSet<>();
        for (Object job : list(RepositoryFiles.yaml(config).get("scrape_configs"))) {
            Map<String, Object> scrape = map(job);
            jobs.add((String) scrape.get("job_name"));
            if (!"prometheus".equals(scrape.get("job_name"))) {
                assertEquals("/metrics", scrape.get("metrics_path"), "metrics_path of job " + scrape.get("job_name"));
                assertEquals(
                        "/run/secrets/management_token",
                        map(scrape.get("authorization")).get("credentials_file"),
                        "job " + scrape.get("job_name") + " sends the management token");
            }
        }
        assertTrue(
                jobs.containsAll(
                        Set.of("gateway", "router", "gpu-agent", "ingestion", "backup-service", "audit-service")),
                "scrape jobs: " + jobs);
    }

    @Test
    void everyRequiredAlertExistsWithSeveritySummaryAndAnExistingRunbook() {
        Map<String, Map<String, Object>> alerts = alerts();
        assertTrue(
                alerts.keySet().containsAll(REQUIRED_ALERTS),
                "missing alerts: "
                        + REQUIRED_ALERTS.stream()
                                .filter(a -> !alerts.containsKey(a))
                                .toList());
        alerts.forEach((name, rule) -> {
            Object severity = at(rule, "labels", "severity");
            assertTrue(SEVERITIES.contains(severity), name + " has severity " + severity);
            Object summary = at(rule, "annotations", "summary");
            assertTrue(summary instanceof String s && !s.isBlank(), name + " has no summary");
            Object runbook = at(rule, "annotations", "runbook_url");
            assertTrue(
                    runbook instanceof String s && s.startsWith("docs/operations/"),
                    name + " runbook_url must point into docs/operations/ (got " + runbook + ")");
            assertTrue(
                    Files.isRegularFile(RepositoryFiles.resolve((String) runbook)),
                    name + " points at a runbook that does not exist: " + runbook);
        });
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysSilent() {
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (Path file : RepositoryFiles.list("infra/prometheus/tests", ".test.yml")) {
            for (Object test : list(RepositoryFiles.yaml(file).get("tests"))) {
                for (Object check : list(map(test).get("alert_rule_test"))) {
                    Map<String, Object> alertTest = map(check);
                    String name = (String) alertTest.get("alertname");
                    (list(alertTest.get("exp_alerts")).isEmpty() ? silent : fires).add(name);
                }
            }
        }
        for (String alert : alerts().keySet()) {
            assertTrue(fires.contains(alert), alert + " has no unit test in which it fires");
            assertTrue(silent.contains(alert), alert + " has no unit test in which it stays silent");
        }
    }

    private static Map<String, Map<String, Object>> alerts() {
        Map<String, Map<String, Object>> alerts = new HashMap<>();
        for (Path file : RepositoryFiles.list("infra/prometheus/rules", ".yml")) {
            Stream.of(RepositoryFiles.yaml(file))
                    .flatMap(doc -> list(doc.get("groups")).stream())
                    .flatMap(group -> list(map(group).get("rules")).stream())
                    .map(RepositoryFiles::map)
                    .filter(rule -> rule.containsKey("alert"))
                    .forEach(rule -> alerts.put((String) rule.get("alert"), rule));
        }
        return alerts;
    }
}
