package ai.sovereign.events;

import java.time.Instant;

/**
 * A model lifecycle command for one GPU host. Topic {@value Topics#FLEET_COMMANDS}, keyed by host id; the agent
 * answers on {@value Topics#FLEET_COMMAND_RESULTS} with the same {@code commandId}.
 *
 * @param commandId   unique id of the command (a UUID); results refer to it, agents deduplicate on it
 * @param hostId      the host that must act
 * @param action      what to do
 * @param model       the model, e.g. {@code llama3.1:8b}
 * @param serverUrl   which inference server on the host; null means the host's default server
 * @param keepAlive   for {@code PRELOAD}, how long to keep the model loaded, e.g. {@code 10m}; null for the server's default
 * @param requestedBy who asked (operator or key id)
 * @param requestedAt when it was asked
 */
public record FleetCommand(
        String commandId,
        String hostId,
        Action action,
        String model,
        @Nullable String serverUrl,
        @Nullable String keepAlive,
        String requestedBy,
        Instant requestedAt)
        implements EventPayload {

    public static final String TYPE = "ai.sovereign.fleet.command.v1";

    @Override
    public String partitionKey() {
        return hostId;
    }

    /** Pull (download) a model, delete it from disk, load it into GPU memory, or unload it. */
    public enum Action {
        PULL,
        DELETE,
        PRELOAD,
        UNLOAD
    }
}
