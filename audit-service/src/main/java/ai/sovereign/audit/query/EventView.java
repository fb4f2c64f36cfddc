package ai.sovereign.audit.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.store.StoredEvent;

/**
 * An event as the API, the JSONL export and the retention archives show it (snake_case fields, times in UTC with
 * microseconds, hashes in hex), and the CSV columns, so that the three always agree.
 */
public final class EventView {

    /** The CSV header, in column order. */
    public static final List<String> COLUMNS = List.of("id", "chain", "seq", "time", "received_at", "type", "source",
            "subject", "datacontenttype", "actor", "actor_type", "tenant", "action", "resource_type", "resource_id",
            "outcome", "reason", "request_id", "client_address", "details", "prev_hash", "hash");

    private EventView() {
    }

    public static Map<String, Object> of(StoredEvent event) {
        AuditEntry e = event.entry();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", e.id().toString());
        view.put("chain", event.chain());
        view.put("seq", event.seq());
        view.put("time", AuditEntry.formatTime(e.time()));
        view.put("received_at", AuditEntry.formatTime(event.receivedAt()));
        view.put("type", e.type());
        view.put("source", e.source());
        view.put("subject", e.subject());
        view.put("datacontenttype", e.datacontenttype());
        view.put("actor", e.actor());
        view.put("actor_type", e.actorType());
        view.put("tenant", e.tenant());
        view.put("action", e.action());
        view.put("resource_type", e.resourceType());
        view.put("resource_id", e.resourceId());
        view.put("outcome", e.outcome());
        view.put("reason", e.reason());
        view.put("request_id", e.requestId());
        view.put("client_address", e.clientAddress());
        view.put("details", e.details());
        view.put("prev_hash", HashChain.hex(event.prevHash()));
        view.put("hash", HashChain.hex(event.hash()));
        return view;
    }

    /** One JSON object, no trailing newline. */
    public static String json(StoredEvent event) {
        return StoredEvent.JSON.writeValueAsString(of(event));
    }

    /** One RFC 4180 CSV line with CRLF: text fields quoted, null fields empty, details as JSON. */
    public static String csv(StoredEvent event) {
        Map<String, Object> view = of(event);
        StringBuilder line = new StringBuilder(512);
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            Object value = view.get(COLUMNS.get(i));
            if (value instanceof Number) {
                line.append(value);
            } else if (value != null) {
                String text = value instanceof String s ? s : StoredEvent.JSON.writeValueAsString(value);
                line.append('"').append(text.replace("\"", "\"\"")).append('"');
            }
        }
        return line.append("\r\n").toString();
    }

    public static String csvHeader() {
        return String.join(",", COLUMNS) + "\r\n";
    }
}
