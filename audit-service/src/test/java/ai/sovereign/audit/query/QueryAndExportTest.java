package ai.sovereign.audit.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.TestEvents;
import ai.sovereign.audit.support.TestProducer;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UsageRecord;
import ai.sovereign.runtime.security.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The compliance queries over one ingested data set: every filter, paged through with the cursor, gives exactly the
 * events the generator made for it, newest first, and the JSONL and CSV exports give the same events in the same
 * order; hostile parameters give a correct empty answer or a 400 naming the parameter; usage totals equal the sums of
 * the records sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryAndExportTest {

    static final int EVENTS = 1_200;
    static final int USAGE = 400;

    AuditService service;
    List<CloudEvent<UsageRecord>> usageSent = new ArrayList<>();

    @BeforeAll
    void ingest() throws Exception {
        service = AuditService.start(AuditService.Settings.fresh("query", 3, Files.createTempDirectory("audit-query")));
        try (TestProducer producer = new TestProducer()) {
            for (int i = 0; i < EVENTS; i++) {
                CloudEvent<AuditEvent> event = TestEvents.audit(i);
                producer.send(service.settings().topics().audit(), event);
            }
            for (int i = 0; i < USAGE; i++) {
                CloudEvent<UsageRecord> usage = TestEvents.usage(i);
                usageSent.add(usage);
                producer.send(service.settings().topics().usage(), usage);
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> service.count("SELECT count(*) FROM events") == EVENTS
                        && service.count("SELECT count(*) FROM usage_records") == USAGE);
    }

    @AfterAll
    void stop() {
        service.close();
    }

    record Case(String query, IntPredicate matches) {
        @Override
        public String toString() {
            return query.isEmpty() ? "(no filter)" : query;
        }
    }

    static List<Case> filters() {
        return List.of(
                new Case("", i -> true),
                new Case("actor=user-3", i -> TestEvents.actor(i).equals("user-3")),
                new Case("tenant=tenant-1", i -> TestEvents.tenant(i).equals("tenant-1")),
                new Case("action=backup.run", i -> TestEvents.action(i).equals("backup.run")),
                new Case("outcome=denied", i -> TestEvents.outcome(i) == AuditEvent.Outcome.DENIED),
                new Case("resource_type=api_key&resource_id=key-5", i -> i % 11 == 5),
                new Case("source=/router", i -> i % 2 == 1),
                new Case("request_id=req-42", i -> i == 42),
                new Case("from=" + TestEvents.time(100) + "&to=" + TestEvents.time(350), i -> i >= 100 && i < 350),
                new Case(
                        "tenant=tenant-2&outcome=FAILURE&from=2026-03-01T00:05:00Z",
                        i -> i % 3 == 2 && TestEvents.outcome(i) == AuditEvent.Outcome.FAILURE && i >= 300),
                new Case("actor=nobody", i -> false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void pagesAndBothExportsAgreeWithTheFilter(Case filter) {
        List<String> expected = IntStream.range(0, EVENTS)
                .boxed()
                .sorted(Comparator.reverseOrder())
                .filter(filter.matches()::test)
                .map(i -> "req-" + i)
                .toList();
        String and = filter.query().isEmpty() ? "" : filter.query() + "&";

        List<String> paged = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = service.getJson(
                    "/api/v1/audit/events?" + and + "limit=37" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("data").size()).isLessThanOrEqualTo(37);
            page.get("data").forEach(e -> {
                paged.add(e.get("request_id").asString());
                ids.add(e.get("id").asString());
            });
            cursor = page.get("next_cursor") == null || page.get("next_cursor").isNull()
                    ? null
                    : page.get("next_cursor").asString();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(paged).containsExactlyElementsOf(expected);

        String jsonl =
                service.get("/api/v1/audit/export?" + and + "format=jsonl").body();
        List<String> exported = jsonl.lines()
                .map(l -> AuditService.JSON.readTree(l).get("id").asString())
                .toList();
        assertThat(exported).containsExactlyElementsOf(ids);

        String csv = service.get("/api/v1/audit/export?" + and + "format=csv").body();
        List<String> rows = csv.lines().toList();
        assertThat(rows.getFirst()).startsWith("id,chain,seq,time,");
        assertThat(rows.subList(1, rows.size()).stream()
                        .map(r -> r.substring(1, 37))
                        .toList())
                .containsExactlyElementsOf(ids);
    }

    @Test
    void eventsKeepTheirDetailsExactlyAsSent() {
        JsonNode event = service.getJson("/api/v1/audit/events?request_id=req-10")
                .get("data")
                .get(0);
        Map<String, Object> sent = TestEvents.audit(10).data().details();
        assertThat(event.get("details").get("note").asString()).isEqualTo(sent.get("note"));
        assertThat(event.get("details").get("ratio").asDouble()).isEqualTo(10 / 8.0);
        assertThat(event.get("details").get("nested").get("list").toString()).isEqualTo("[1,2.5,\"three\",true]");
        assertThat(event.get("time").asString()).isEqualTo("2026-03-01T00:00:10.000000Z");
        assertThat(event.get("outcome").asString()).isEqualTo("FAILURE");
        assertThat(event.get("hash").asString()).hasSize(64);
    }

    @Test
    void pageSizeIsCapped() {
        JsonNode page = service.getJson("/api/v1/audit/events?limit=100000");
        assertThat(page.get("data").size()).isEqualTo(1_000);
        assertThat(page.get("next_cursor").asString()).isNotBlank();
        assertThat(service.getJson("/api/v1/audit/events").get("data").size()).isEqualTo(100);
    }

    @Test
    void hostileFilterValuesAreOnlyEverData() {
        for (String value : List.of(
                "' OR 1=1 --",
                "user-3'; DROP TABLE events; --",
                "\\\\x00",
                "漢字🙂 ünïcödé",
                "x".repeat(10_000),
                "%",
                "_",
                "user-%")) {
            JsonNode page = service.getJson("/api/v1/audit/events?actor=" + encode(value));
            assertThat(page.get("data")).as(value).isEmpty();
            assertThat(service.get("/api/v1/audit/export?format=csv&tenant=" + encode(value))
                            .body()
                            .lines())
                    .hasSize(1);
        }
        assertThat(service.count("SELECT count(*) FROM events")).isEqualTo(EVENTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void badParametersAreA400NamingTheParameter(String query, String param) {
        var response = service.get(query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = AuditService.JSON.readTree(response.body()).get("error");
        assertThat(error.get("param").asString()).isEqualTo(param);
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
    }

    static List<org.junit.jupiter.params.provider.Arguments> badParameters() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/audit/events?from=yesterday", "from");
        cases.put("/api/v1/audit/events?to=2026-13-45", "to");
        cases.put("/api/v1/audit/events?from=2026-03-02&to=2026-03-01", "to");
        cases.put("/api/v1/audit/events?from=%27%3B%20DROP%20TABLE%20events", "from");
        cases.put("/api/v1/audit/events?limit=abc", "limit");
        cases.put("/api/v1/audit/events?limit=0", "limit");
        cases.put("/api/v1/audit/events?cursor=not-a-cursor", "cursor");
        cases.put("/api/v1/audit/events?outcome=maybe", "outcome");
        cases.put("/api/v1/audit/events?actor=a&actor=b", "actor");
        cases.put("/api/v1/audit/events?colour=red", "colour");
        cases.put("/api/v1/audit/events?actor=%00", "actor");
        cases.put("/api/v1/audit/export?format=xml", "format");
        cases.put("/api/v1/audit/export?from=10000-01-01T00:00:00Z", "from");
        cases.put("/api/v1/audit/usage?group_by=week", "group_by");
        cases.put("/api/v1/audit/usage", "group_by");
        cases.put("/api/v1/audit/usage?group_by=day&to=never", "to");
        return cases.entrySet().stream()
                .map(e -> org.junit.jupiter.params.provider.Arguments.of(e.getKey(), e.getValue()))
                .toList();
    }

    @Test
    void onlyAuditorsAndAdminsMayQuery() {
        assertThat(service.get("/api/v1/audit/events", null).statusCode()).isEqualTo(401);
        assertThat(service.get("/api/v1/audit/events", service.token(Role.USER)).statusCode())
                .isEqualTo(403);
        // a neighbour service's own key opens nothing here: ingestion is no caller of the audit-service
        String ingestion = ai.sovereign.runtime.security.ServiceTokenSigner.development(
                        "ingestion", java.time.Clock.systemUTC())
                .issue("audit-service", "ingestion", "_platform", Role.ADMIN, java.time.Duration.ofMinutes(1));
        java.net.http.HttpResponse<String> refused = service.get("/api/v1/audit/export", ingestion);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("ingestion may not call audit-service");
        assertThat(service.get("/api/v1/audit/events", service.token(Role.ADMIN))
                        .statusCode())
                .isEqualTo(200);
        assertThat(service.get("/api/v1/audit/usage?group_by=key", service.token(Role.USER))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void usageTotalsPerModelEqualTheRecordsSent() {
        JsonNode report = service.getJson("/api/v1/audit/usage?group_by=model");
        assertThat(report.get("group_by").asString()).isEqualTo("model");
        assertThat(report.get("data")).hasSize(TestEvents.MODELS.size());
        for (JsonNode group : report.get("data")) {
            List<UsageRecord> sent = usageSent.stream()
                    .map(CloudEvent::data)
                    .filter(u -> u.model().equals(group.get("group").asString()))
                    .toList();
            assertThat(group.get("requests").asLong()).isEqualTo(sent.size());
            assertThat(group.get("prompt_tokens").asLong())
                    .isEqualTo(
                            sent.stream().mapToLong(UsageRecord::promptTokens).sum());
            assertThat(group.get("completion_tokens").asLong())
                    .isEqualTo(sent.stream()
                            .mapToLong(UsageRecord::completionTokens)
                            .sum());
            assertThat(group.get("errors").asLong())
                    .isEqualTo(sent.stream()
                            .filter(u -> u.status() == UsageRecord.Status.ERROR)
                            .count());
            assertThat(group.get("p95_latency_ms").asDouble())
                    .isCloseTo(p95(sent), org.assertj.core.data.Offset.offset(0.001));
        }
        JsonNode byDay = service.getJson("/api/v1/audit/usage?group_by=day");
        assertThat(byDay.get("data")).hasSize(1);
        assertThat(byDay.get("data").get(0).get("group").asString()).isEqualTo("2026-03-01");
        assertThat(byDay.get("data").get(0).get("requests").asLong()).isEqualTo(USAGE);
        JsonNode byKey = service.getJson(
                "/api/v1/audit/usage?group_by=key&from=" + TestEvents.time(0) + "&to=" + TestEvents.time(100));
        assertThat(byKey.get("data")).hasSize(4);
        assertThat(byKey.get("data").findValues("requests").stream()
                        .mapToLong(JsonNode::asLong)
                        .sum())
                .isEqualTo(100);
    }

    /** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
    private static double p95(List<UsageRecord> records) {
        double[] sorted =
                records.stream().mapToDouble(UsageRecord::durationMs).sorted().toArray();
        double rank = 0.95 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
