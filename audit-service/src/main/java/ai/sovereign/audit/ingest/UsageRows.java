package ai.sovereign.audit.ingest;

import ai.sovereign.audit.store.CopyText;
import ai.sovereign.events.UsageRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A usage record as a row of the {@code usage_records} ledger, in the column order of the writer's COPY. */
final class UsageRows {

    private UsageRows() {}

    static void append(CopyText rows, Classified.Usage usage, Instant receivedAt) {
        UsageRecord u = usage.usage();
        rows.uuid(usage.id())
                .number(usage.record().partition())
                .number(usage.record().offset())
                .instant(receivedAt)
                .instant(usage.time())
                .text(usage.source())
                .text(u.requestId())
                .text(u.keyId())
                .text(u.tenant())
                .text(u.model())
                .text(u.serverId())
                .text(u.endpoint())
                .bool(u.stream())
                .number(u.promptTokens())
                .number(u.completionTokens())
                .number(u.timeToFirstTokenMs())
                .number(u.durationMs())
                .text(u.status().name())
                .number(u.httpStatus())
                .text(u.errorType())
                .instant(u.startedAt().truncatedTo(ChronoUnit.MICROS))
                .endRow();
    }
}
