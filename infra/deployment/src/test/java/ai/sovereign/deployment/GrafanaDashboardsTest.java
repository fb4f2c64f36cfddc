package ai.sovereign.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GrafanaDashboardsTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theFiveDashboardsExistWithUniqueUidsAndAQueryInEveryPanel() {
        Set<String> names = new HashSet<>();
        Set<String> uids = new HashSet<>();
        for (Path file : RepositoryFiles.list("infra/grafana/dashboards", ".json")) {
            names.add(file.getFileName().toString());
            JsonNode dashboard = json.readTree(file.toFile());
            assertTrue(uids.add(dashboard.path("uid").asString()), "duplicate uid in " + file);
            assertFalse(dashboard.path("panels").isEmpty(), file + " has no panels");
            for (JsonNode panel : dashboard.path("panels")) {
                assertFalse(panel.path("targets").isEmpty(), file + " panel " + panel.path("title") + " has no query");
                for (JsonNode target : panel.path("targets")) {
                    assertFalse(target.path("expr").asString().isBlank(), file + " panel " + panel.path("title"));
                    assertEquals(
                            "prometheus", target.path("datasource").path("uid").asString());
                }
            }
        }
        assertEquals(Set.of("fleet.json", "gpus.json", "gateway.json", "knowledge.json", "backups-audit.json"), names);
    }

    @Test
    void provisioningLoadsTheDashboardsFolderAndThePrometheusDatasource() {
        var provider =
                RepositoryFiles.yaml(RepositoryFiles.resolve("infra/grafana/provisioning/dashboards/sovereign.yml"));
        Object path = RepositoryFiles.at(
                RepositoryFiles.map(
                        RepositoryFiles.list(provider.get("providers")).getFirst()),
                "options",
                "path");
        assertEquals("/var/lib/grafana/dashboards", path);
        var datasource =
                RepositoryFiles.yaml(RepositoryFiles.resolve("infra/grafana/provisioning/datasources/prometheus.yml"));
        var first = RepositoryFiles.map(
                RepositoryFiles.list(datasource.get("datasources")).getFirst());
        assertEquals("prometheus", first.get("uid"));
        assertEquals("http://prometheus:9090", first.get("url"));
    }
}
