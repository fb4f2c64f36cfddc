package ai.sovereign.audit.ingest;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.store.CopyText;
import java.time.Instant;

/** An audit event as a row of the {@code events} table, in the column order of the writer's COPY. */
final class EventRows {

    private EventRows() {}

    static void append(
            CopyText rows,
            Classified.Audit audit,
            int chain,
            long seq,
            Instant receivedAt,
            byte[] prevHash,
            byte[] hash) {
        AuditEntry e = audit.entry();
        rows.uuid(e.id())
                .number(chain)
                .number(seq)
                .number(audit.record().offset())
                .instant(receivedAt)
                .instant(e.time())
                .text(e.type())
                .text(e.source())
                .text(e.subject())
                .text(e.datacontenttype())
                .text(e.actor())
                .text(e.actorType())
                .text(e.tenant())
                .text(e.action())
                .text(e.resourceType())
                .text(e.resourceId())
                .text(e.outcome())
                .text(e.reason())
                .text(e.requestId())
                .text(e.clientAddress())
                .text(audit.detailsJson())
                .bytes(prevHash)
                .bytes(hash)
                .endRow();
    }
}
