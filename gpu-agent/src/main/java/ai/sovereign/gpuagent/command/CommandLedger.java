package ai.sovereign.gpuagent.command;

import ai.sovereign.events.FleetCommandResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The commands this agent has taken on, by command id, with the last result of each: what makes commands
 * idempotent (a redelivered id is not run again). Bounded: the oldest ids are forgotten past {@link #CAPACITY},
 * and the ledger does not survive a restart (Kafka offsets and {@code gpu-agent.commands.max-age} cover that).
 */
@Singleton
public final class CommandLedger {

    static final int CAPACITY = 10_000;

    private final Map<String, FleetCommandResult> commands = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FleetCommandResult> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Records {@code commandId}; false when it was already there. */
    public synchronized boolean claim(String commandId) {
        if (commands.containsKey(commandId)) {
            return false;
        }
        commands.put(commandId, null);
        return true;
    }

    public synchronized void update(FleetCommandResult result) {
        if (commands.containsKey(result.commandId())) {
            commands.put(result.commandId(), result);
        }
    }

    /** The last result of {@code commandId}; empty when unknown or nothing was reported yet. */
    public synchronized Optional<FleetCommandResult> last(String commandId) {
        return Optional.ofNullable(commands.get(commandId));
    }
}
