package ai.sovereign.router.commands;

import ai.sovereign.events.FleetCommandResult;
import java.util.Locale;

/** Where a fleet command stands as the router sees it: published and unanswered, running, or finished one way. */
public enum CommandStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    REFUSED;

    public static CommandStatus of(FleetCommandResult.Status status) {
        return switch (status) {
            case ACCEPTED, IN_PROGRESS -> RUNNING;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case REFUSED -> REFUSED;
        };
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == REFUSED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
