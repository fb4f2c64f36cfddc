package ai.sovereign.audit.query;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.store.StoredEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An event as the API, the JSONL export and the retention archives show it (snake_case fields in this order, every
 * field present, times in UTC with microseconds, hashes in hex), and the CSV columns, so that the three always agree.
 * Written with {@link StoredEvent#JSON}, which keeps the details' decimals exact.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventView(
        String id,
        int chain,
        long seq,
        String time,
        @JsonProperty("received_at") String receivedAt,
        String type,
        String source,
        @Nullable String subject,
        @Nullable String datacontenttype,
        String actor,
        @JsonProperty("actor_type") String actorType,
        String tenant,
        String action,
        @JsonProperty("resource_type") String resourceType,
        @JsonProperty("resource_id") String resourceId,
        String outcome,
        @Nullable String reason,
        @JsonProperty("request_id") @Nullable String requestId,
        @JsonProperty("client_address") @Nullable String clientAddress,
        Map<String, Object> details,
        @JsonProperty("prev_hash") String prevHash,
        String hash) {

    /** The CSV header, in column order: the JSON fields'. */
    public static final List<String> COLUMNS = List.of(
            "id",
            "chain",
            "seq",
            "time",
            "received_at",
            "type",
            "source",
            "subject",
            "datacontenttype",
            "actor",
            "actor_type",
            "tenant",
            "action",
            "resource_type",
            "resource_id",
            "outcome",
            "reason",
            "request_id",
            "client_address",
            "details",
            "prev_hash",
            "hash");

    public static EventView of(StoredEvent event) {
        AuditEntry e = event.entry();
        return new EventView(
                e.id().toString(),
                event.chain(),
                event.seq(),
                AuditEntry.formatTime(e.time()),
                AuditEntry.formatTime(event.receivedAt()),
                e.type(),
                e.source(),
                e.subject(),
                e.datacontenttype(),
                e.actor(),
                e.actorType(),
                e.tenant(),
                e.action(),
                e.resourceType(),
                e.resourceId(),
                e.outcome(),
                e.reason(),
                e.requestId(),
                e.clientAddress(),
                e.details(),
                HashChain.hex(event.prevHash()),
                HashChain.hex(event.hash()));
    }

    /** One JSON object, no trailing newline. */
    public static String json(StoredEvent event) {
        return StoredEvent.JSON.writeValueAsString(of(event));
    }

    /**
     * One RFC 4180 CSV line with CRLF: text fields quoted, null fields empty, details as JSON. A text field that a
     * spreadsheet would take for a formula (starting with {@code = + - @}, a tab or a carriage return) gets a leading
     * {@code '}, so that opening the export cannot run what a client put in an event; the NDJSON export keeps every
     * value exact (hashes are recomputed from it, not from CSV).
     */
    public static String csv(StoredEvent event) {
        List<Object> values = of(event).columnValues();
        StringBuilder line = new StringBuilder(512);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            Object value = values.get(i);
            if (value instanceof Number) {
                line.append(value);
            } else if (value != null) {
                String text = value instanceof String s ? s : StoredEvent.JSON.writeValueAsString(value);
                line.append('"')
                        .append(spreadsheetSafe(text).replace("\"", "\"\""))
                        .append('"');
            }
        }
        return line.append("\r\n").toString();
    }

    static String spreadsheetSafe(String text) {
        if (text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + text
                : text;
    }

    public static String csvHeader() {
        return String.join(",", COLUMNS) + "\r\n";
    }

    /** The values in {@link #COLUMNS} order. */
    private List<Object> columnValues() {
        return Arrays.asList(
                id,
                chain,
                seq,
                time,
                receivedAt,
                type,
                source,
                subject,
                datacontenttype,
                actor,
                actorType,
                tenant,
                action,
                resourceType,
                resourceId,
                outcome,
                reason,
                requestId,
                clientAddress,
                details,
                prevHash,
                hash);
    }
}
