package ai.sovereign.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.TestEvents;
import ai.sovereign.audit.support.TestProducer;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The "must show" of ingest, through real Kafka and PostgreSQL: {@value #EVENTS} audit events (and usage records,
 * redelivered duplicates and malformed records mixed in) are produced while the service runs; the service is shut
 * down in the middle of the stream and started again on the same database, topics and group; afterwards the trail
 * holds exactly one row per event, the ledger exactly one per usage record, every malformed record is a dead letter
 * with its raw bytes, and the chains verify.
 */
class IngestEndToEndTest {

    /** The issue asks for 100 000; override with -Daudit.test.events for a quicker local run. */
    static final int EVENTS = Integer.getInteger("audit.test.events", 100_000);

    static final int USAGE = 3_000;
    static final int DUPLICATES = 1_000;
    static final int PARTITIONS = 3;

    @TempDir
    Path dataDir;

    @Test
    void restartMidStreamIngestsEveryEventExactlyOnceAndChainsVerify() throws Exception {
        AuditService.Settings settings = AuditService.Settings.fresh("ingest", PARTITIONS, dataDir);
        String auditTopic = settings.topics().audit();
        String usageTopic = settings.topics().usage();
        Map<String, byte[]> malformed = malformedRecords();
        long usagePrompt = 0;
        long usageCompletion = 0;
        List<byte[]> resent = new ArrayList<>();

        AuditService first = AuditService.start(settings);
        try (TestProducer producer = new TestProducer()) {
            for (int i = 0; i < EVENTS; i++) {
                CloudEvent<AuditEvent> event = TestEvents.audit(i);
                byte[] bytes = producer.encode(event);
                if (i < DUPLICATES) {
                    resent.add(bytes);
                }
                producer.send(auditTopic, i % PARTITIONS, event.partitionKey(), bytes);
                if (i % (EVENTS / USAGE) == 0 && i / (EVENTS / USAGE) < USAGE) {
                    CloudEvent<UsageRecord> usage = TestEvents.usage(i / (EVENTS / USAGE));
                    usagePrompt += usage.data().promptTokens();
                    usageCompletion += usage.data().completionTokens();
                    producer.send(usageTopic, usage);
                }
                if (i == EVENTS / 4) {
                    malformed.forEach((reason, raw) -> producer.send(auditTopic, "bad", raw));
                    producer.send(usageTopic, "bad", "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8));
                }
            }
            // a producer retrying after a lost acknowledgement: the same envelopes again, later in the stream
            resent.forEach(bytes -> producer.send(auditTopic, "retry", bytes));
            producer.flush();
            // stop while the stream is still being ingested
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> first.count("SELECT count(*) FROM events") >= EVENTS / 3);
        } finally {
            first.close();
        }
        long atStop = first.count("SELECT count(*) FROM events");
        assertThat(atStop).as("stopped mid-stream").isLessThan(EVENTS);

        int deadLetters = malformed.size() + 1;
        try (AuditService second = AuditService.start(settings)) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> second.count("SELECT coalesce(sum(next_offset), 0) FROM consumer_positions")
                            == (long) EVENTS + DUPLICATES + malformed.size() + USAGE + 1);

            assertThat(second.count("SELECT count(*) FROM events")).isEqualTo(EVENTS);
            assertThat(second.count("SELECT count(DISTINCT id) FROM events")).isEqualTo(EVENTS);
            assertThat(second.count("SELECT count(*) FROM usage_records")).isEqualTo(USAGE);
            assertThat(second.count("SELECT count(*) FROM dead_letters")).isEqualTo(deadLetters);
            // each chain is gap-free from seq 1
            assertThat(second.count("SELECT count(*) FROM (SELECT chain FROM events GROUP BY chain"
                            + " HAVING min(seq) <> 1 OR max(seq) <> count(*)) broken"))
                    .isZero();

            assertDeadLettersKeepRawBytesAndReason(second, malformed);

            JsonNode usage = second.getJson("/api/v1/audit/usage?group_by=tenant");
            long prompt = 0;
            long completion = 0;
            long requests = 0;
            for (JsonNode group : usage.get("data")) {
                prompt += group.get("prompt_tokens").asLong();
                completion += group.get("completion_tokens").asLong();
                requests += group.get("requests").asLong();
            }
            assertThat(requests).isEqualTo(USAGE);
            assertThat(prompt).isEqualTo(usagePrompt);
            assertThat(completion).isEqualTo(usageCompletion);

            // the whole trail streams out of the export, one line per event
            assertThat(second.countLines("/api/v1/audit/export?format=jsonl")).isEqualTo(EVENTS);

            second.post("/api/v1/audit/checkpoints", "{}");
            JsonNode report = second.getJson("/api/v1/audit/verify");
            assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("OK");
            assertThat(report.get("events_checked").asLong()).isEqualTo(EVENTS);
            assertThat(report.get("chains").asInt()).isEqualTo(PARTITIONS);
            assertThat(report.get("checkpoints_checked").asInt()).isEqualTo(PARTITIONS);

            String metrics = second.get("/metrics", null).body();
            assertThat(metrics)
                    .containsPattern("audit_events_ingested_total\\{.*type=\"" + AuditEvent.TYPE + "\"")
                    .contains("audit_dead_letters_total")
                    .containsPattern("audit_consumer_lag\\{.*topic=")
                    .containsPattern("audit_chain_verified\\{.*} 1.0")
                    .contains("audit_last_event_timestamp_seconds")
                    // what the KafkaConsumerLagHigh alert and the dashboards read (micronaut-kafka's consumer metrics)
                    .containsPattern("kafka_consumer_records_lag_max_records\\{.*client_id=\"[^\"]*-consumer\"");
        }
    }

    /** One record per kind of damage, by the reason the dead letter must give. */
    private static Map<String, byte[]> malformedRecords() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("not JSON", "this is {not json".getBytes(StandardCharsets.UTF_8));
        records.put(
                "unknown type",
                ("{\"specversion\":\"1.0\",\"id\":\"0195a3c6-6f1e-7a2b-8c3d-4e5f60718202\","
                                + "\"source\":\"/x\",\"type\":\"ai.sovereign.nothing.v9\",\"time\":\"2026-03-01T00:00:00Z\",\"data\":{}}")
                        .getBytes(StandardCharsets.UTF_8));
        records.put(
                "missing field",
                ("{\"specversion\":\"1.0\",\"id\":\"0195a3c6-6f1e-7a2b-8c3d-4e5f60718203\","
                                + "\"source\":\"/x\",\"type\":\"" + AuditEvent.TYPE
                                + "\",\"time\":\"2026-03-01T00:00:00Z\","
                                + "\"data\":{\"actorType\":\"SYSTEM\",\"tenant\":\"t\",\"action\":\"a\",\"resourceType\":\"r\","
                                + "\"resourceId\":\"1\",\"outcome\":\"SUCCESS\",\"details\":{}}}")
                        .getBytes(StandardCharsets.UTF_8));
        records.put(
                "usage record on the audit topic",
                new ai.sovereign.events.EventCodec().encode(TestEvents.usage(99_999)));
        records.put(
                "id not a UUID",
                ("{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/x\",\"type\":\""
                                + AuditEvent.TYPE
                                + "\",\"time\":\"2026-03-01T00:00:00Z\",\"data\":{\"actor\":\"a\",\"actorType\":"
                                + "\"SYSTEM\",\"tenant\":\"t\",\"action\":\"a\",\"resourceType\":\"r\",\"resourceId\":\"1\","
                                + "\"outcome\":\"SUCCESS\",\"details\":{}}}")
                        .getBytes(StandardCharsets.UTF_8));
        records.put("empty value", new byte[0]);
        return records;
    }

    private static void assertDeadLettersKeepRawBytesAndReason(AuditService service, Map<String, byte[]> sent)
            throws Exception {
        List<byte[]> raws = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try (Connection c = service.superuser();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT raw, reason FROM dead_letters WHERE topic = '"
                                + service.settings().topics().audit() + "' ORDER BY record_offset")) {
            while (rs.next()) {
                raws.add(rs.getBytes(1) == null ? new byte[0] : rs.getBytes(1));
                reasons.add(rs.getString(2));
            }
        }
        assertThat(raws).containsExactlyElementsOf(new ArrayList<>(sent.values()));
        assertThat(reasons).allSatisfy(reason -> assertThat(reason).isNotBlank());
        assertThat(reasons.get(2)).contains("actor");
        assertThat(reasons.get(3)).contains("does not belong on topic");
        assertThat(reasons.get(4)).contains("UUID");
    }
}
