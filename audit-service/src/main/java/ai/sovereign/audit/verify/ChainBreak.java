package ai.sovereign.audit.verify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * The first place a chain does not hold.
 *
 * @param kind     what broke: {@code hash_mismatch} (an event was changed), {@code prev_hash_mismatch} (events were
 *                 reordered or one replaced), {@code missing_events} (a gap in seq: events deleted),
 *                 {@code duplicate_seq}, {@code head_mismatch} (the newest events were deleted or added),
 *                 {@code checkpoint_mismatch} (the chain no longer has the hash a signed checkpoint recorded: events
 *                 up to it were rewritten and their hashes recomputed), {@code checkpoint_signature_invalid},
 *                 {@code checkpoint_untrusted_key}, {@code checkpoint_sequence_broken} (a checkpoint was removed or
 *                 inserted), {@code checkpoint_missing} / {@code checkpoint_altered} (the database copy differs from
 *                 the file copy), {@code checkpoint_unmatched} (a checkpoint names a seq the chain does not have),
 *                 {@code anchor_mismatch} (the first event after a retention drop does not continue from the dropped
 *                 events), {@code anchor_signature_invalid} (a retention record's anchors are not signed by a trusted
 *                 checkpoint key: forged or changed)
 * @param chain    the chain (Kafka partition of {@code audit.events.v1})
 * @param seq      where: the event's seq, or the checkpoint's
 * @param eventId  the event at {@code seq}, when there is one
 * @param expected the hash that should be there (hex)
 * @param found    the hash that is there (hex)
 * @param message  the same in words, with what it means
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ChainBreak(
        String kind,
        int chain,
        long seq,
        @Nullable String eventId,
        @Nullable String expected,
        @Nullable String found,
        String message) {}
