package ai.sovereign.events;

import java.util.List;

/** Kafka topic names. A {@code .v1} topic only ever receives additive changes; see the module README. */
public final class Topics {

    /** Every service → audit-service; key: tenant. */
    public static final String AUDIT_EVENTS = "audit.events.v1";
    /** Router/gateway, one record per finished LLM request → audit-service ledger, gateway quotas; key: API key id. */
    public static final String LLM_USAGE = "llm.usage.v1";
    /** gpu-agent → router; key: host id. */
    public static final String GPU_TELEMETRY = "gpu.telemetry.v1";
    /** Router admin → gpu-agent; key: host id. */
    public static final String FLEET_COMMANDS = "fleet.commands.v1";
    /** gpu-agent → router admin; key: host id. */
    public static final String FLEET_COMMAND_RESULTS = "fleet.command-results.v1";
    /** Ingestion API → ingestion workers; key: source id. */
    public static final String INGESTION_JOBS = "ingestion.jobs.v1";

    /** All topics, for creating them at start-up. */
    public static final List<String> ALL =
            List.of(AUDIT_EVENTS, LLM_USAGE, GPU_TELEMETRY, FLEET_COMMANDS, FLEET_COMMAND_RESULTS, INGESTION_JOBS);

    private Topics() {}
}
