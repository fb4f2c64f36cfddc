package ai.sovereign.events;

import java.time.Instant;

/**
 * A GPU host's answer to a {@link FleetCommand}: zero or more progress reports, then one terminal status. Topic
 * {@value Topics#FLEET_COMMAND_RESULTS}, keyed by host id.
 *
 * @param commandId      the command answered
 * @param hostId         the host answering
 * @param status         where the command stands
 * @param message        human-readable state, e.g. the inference server's pull status or error text
 * @param completedBytes bytes done so far (pulls); optional
 * @param totalBytes     bytes in total (pulls); optional
 * @param progressRatio  0..1 progress; optional
 * @param at             when the host reported this
 */
public record FleetCommandResult(
        String commandId,
        String hostId,
        Status status,
        String message,
        @Nullable Long completedBytes,
        @Nullable Long totalBytes,
        @Nullable Double progressRatio,
        Instant at)
        implements EventPayload {

    public static final String TYPE = "ai.sovereign.fleet.command-result.v1";

    @Override
    public String partitionKey() {
        return hostId;
    }

    public enum Status {
        ACCEPTED,
        IN_PROGRESS,
        SUCCEEDED,
        FAILED,
        REFUSED;

        /** Whether no further result follows for the command. */
        public boolean isTerminal() {
            return this == SUCCEEDED || this == FAILED || this == REFUSED;
        }
    }
}
