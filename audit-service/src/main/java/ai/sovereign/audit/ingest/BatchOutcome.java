package ai.sovereign.audit.ingest;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * What one committed batch did.
 *
 * @param auditEvents     audit events appended to the chains
 * @param usageRecords    usage records added to the ledger
 * @param deadLetters     records stored as dead letters (new ones only)
 * @param duplicates      records skipped because their event id was already ingested
 * @param alreadyIngested records skipped because their offset was already committed to the database
 * @param latestEventTime the newest event time among the appended audit events, if any
 * @param rejections      the reasons of the new dead letters, for logging
 */
public record BatchOutcome(
        int auditEvents,
        int usageRecords,
        int deadLetters,
        int duplicates,
        int alreadyIngested,
        @Nullable Instant latestEventTime,
        List<String> rejections) {}
