package ai.sovereign.gpuagent.command;

import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.SerdeImport;

/** {@code GET /api/agent/commands/{id}}: the last result this agent reported for a command (since it started). */
@Controller("/api/agent/commands")
@SerdeImport(FleetCommandResult.class)
public class CommandController {

    private final CommandLedger ledger;

    public CommandController(CommandLedger ledger) {
        this.ledger = ledger;
    }

    @Get("/{id}")
    public FleetCommandResult command(String id) {
        return ledger.last(id)
                .orElseThrow(() -> ApiException.notFound("command " + id
                        + " is unknown to this agent (never received, or received before its last restart)"));
    }
}
