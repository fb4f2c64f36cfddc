package ai.sovereign.audit.support;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UsageRecord;
import ai.sovereign.events.UuidV7;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deterministic events for the tests: event {@code i} always has the same fields (so expected counts can be computed
 * from {@code i}), a fresh UUIDv7 id, and a time {@code i} seconds after {@link #BASE}.
 */
public final class TestEvents {

    public static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
    public static final List<String> ACTIONS =
            List.of("key.create", "chat.completion", "backup.run", "auth.failure", "config.patch");
    public static final List<String> MODELS = List.of("llama3.1:8b", "qwen2.5:7b", "nomic-embed-text");

    private TestEvents() {}

    public static String actor(int i) {
        return "user-" + (i % 7);
    }

    public static String tenant(int i) {
        return "tenant-" + (i % 3);
    }

    public static String action(int i) {
        return ACTIONS.get(i % ACTIONS.size());
    }

    public static AuditEvent.Outcome outcome(int i) {
        return AuditEvent.Outcome.values()[i % 3];
    }

    public static Instant time(int i) {
        return BASE.plusSeconds(i);
    }

    /** Audit event number {@code i}. */
    public static CloudEvent<AuditEvent> audit(int i) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("n", i);
        details.put("ratio", i / 8.0);
        details.put("note", i % 10 == 0 ? "quote \" backslash \\ tab \t newline \n unicode é 漢字 🙂" : "ok");
        details.put("nested", Map.of("list", List.of(1, 2.5, "three", true), "empty", Map.of()));
        AuditEvent data = new AuditEvent(
                actor(i),
                AuditEvent.ActorType.API_KEY,
                tenant(i),
                action(i),
                "api_key",
                "key-" + (i % 11),
                outcome(i),
                outcome(i) == AuditEvent.Outcome.SUCCESS ? null : "reason " + i,
                "req-" + i,
                "10.0.0." + (i % 250),
                details);
        return new CloudEvent<>(
                CloudEvent.SPEC_VERSION,
                UuidV7.generate().toString(),
                i % 2 == 0 ? "/gateway" : "/router",
                AuditEvent.TYPE,
                time(i),
                "api_key/key-" + (i % 11),
                CloudEvent.DATA_CONTENT_TYPE,
                data);
    }

    /** Usage record number {@code i}: {@code 10 + i % 50} prompt and {@code i % 100} completion tokens. */
    public static CloudEvent<UsageRecord> usage(int i) {
        boolean error = i % 10 == 9;
        UsageRecord data = new UsageRecord(
                "req-u" + i,
                "key-" + (i % 4),
                tenant(i),
                MODELS.get(i % 3),
                "gpu-" + (i % 2),
                "/v1/chat/completions",
                i % 2 == 0,
                10 + i % 50,
                i % 100,
                i % 2 == 0 ? 5.0 + i % 7 : null,
                100.0 + i % 200,
                error ? UsageRecord.Status.ERROR : UsageRecord.Status.SUCCESS,
                error ? 502 : 200,
                error ? "server_error" : null,
                time(i));
        return new CloudEvent<>(
                CloudEvent.SPEC_VERSION,
                UUID.randomUUID().toString(),
                "/router",
                UsageRecord.TYPE,
                time(i),
                data.requestId(),
                CloudEvent.DATA_CONTENT_TYPE,
                data);
    }
}
