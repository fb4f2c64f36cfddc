package ai.sovereign.events;

import ai.sovereign.events.GpuTelemetry.GpuSourceStatus;
import ai.sovereign.events.GpuTelemetry.GpuStats;
import ai.sovereign.events.GpuTelemetry.HostStats;
import ai.sovereign.events.GpuTelemetry.LoadedModel;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One realistic event per contract, with every optional field set, and fixed ids and times so that the golden
 * files under {@code src/test/resources/golden/} can spell out the exact wire form. GPU figures are those an
 * H100 80GB and an RTX 3090 report through {@code nvidia-smi --query-gpu}; the fields the RTX reports as {@code [N/A]}
 * (power draw, ECC counters) are null.
 */
enum Sample {
    AUDIT(
            "/gateway",
            "api_key/ak_91b0de",
            "01958a3c-6f1e-7a2b-8c3d-4e5f60718201",
            new AuditEvent(
                    "ak_7f3c2a",
                    AuditEvent.ActorType.API_KEY,
                    "acme",
                    "key.create",
                    "api_key",
                    "ak_91b0de",
                    AuditEvent.Outcome.SUCCESS,
                    "created by tenant admin",
                    "req_5b2d9e1f",
                    "10.20.30.40",
                    Map.of("role", "user", "allowedModels", List.of("llama3.1:8b", "qwen2.5:14b"), "rpmLimit", 600))),

    /** A stream that broke after its first token: the one case where every optional field has a value. */
    USAGE(
            "/router",
            "req_5b2d9e1f",
            "01958a3c-6f1e-7a2b-8c3d-4e5f60718202",
            new UsageRecord(
                    "req_5b2d9e1f",
                    "ak_7f3c2a",
                    "acme",
                    "llama3.1:8b",
                    "gpu-host-01:11434",
                    "/v1/chat/completions",
                    true,
                    412,
                    57,
                    183.4,
                    1210.7,
                    UsageRecord.Status.ERROR,
                    200,
                    "upstream_error",
                    Instant.parse("2026-03-01T10:15:26.012Z"))),

    TELEMETRY(
            "/gpu-agent/gpu-host-01",
            "gpu-host-01",
            "01958a3c-6f1e-7a2b-8c3d-4e5f60718203",
            new GpuTelemetry(
                    "gpu-host-01",
                    "0.1.0",
                    5,
                    Instant.parse("2026-03-01T10:15:30Z"),
                    new GpuSourceStatus(GpuTelemetry.SourceState.OK, "nvidia-smi 550.54.15"),
                    List.of(
                            new GpuStats(
                                    0,
                                    "GPU-5fd4a1c2-8e3b-4f7a-9c1d-2b6e8f0a3d47",
                                    "NVIDIA H100 80GB HBM3",
                                    85_520_809_984L,
                                    52_089_569_280L,
                                    33_017_561_088L,
                                    0.87,
                                    0.41,
                                    64.0,
                                    512.34,
                                    700.0,
                                    1980,
                                    true,
                                    0L),
                            new GpuStats(
                                    1,
                                    "GPU-0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
                                    "NVIDIA GeForce RTX 3090",
                                    25_769_803_776L,
                                    4_194_304L,
                                    25_765_609_472L,
                                    0.0,
                                    0.0,
                                    31.0,
                                    null,
                                    350.0,
                                    210,
                                    false,
                                    null)),
                    new HostStats(
                            0.23,
                            540_972_355_584L,
                            122_406_567_936L,
                            "/var/lib/ollama/models",
                            1_456_815_472_640L,
                            3_840_753_991_680L),
                    List.of(
                            new ServerStatus(
                                    "gpu-host-01:11434",
                                    "http://10.0.0.5:11434",
                                    GpuTelemetry.ServerType.OLLAMA,
                                    4,
                                    true,
                                    null,
                                    List.of("llama3.1:8b", "qwen2.5:14b"),
                                    List.of(new LoadedModel(
                                            "llama3.1:8b", 6_654_289_920L, Instant.parse("2026-03-01T10:20:30.5Z"))),
                                    null,
                                    null,
                                    null),
                            new ServerStatus(
                                    "gpu-host-01:8000",
                                    "http://10.0.0.5:8000",
                                    GpuTelemetry.ServerType.VLLM,
                                    64,
                                    true,
                                    null,
                                    List.of("meta-llama/Llama-3.1-70B-Instruct"),
                                    List.of(),
                                    12,
                                    3,
                                    0.62),
                            new ServerStatus(
                                    "gpu-host-01:8080",
                                    "http://10.0.0.5:8080",
                                    GpuTelemetry.ServerType.OPENAI,
                                    2,
                                    false,
                                    "connect timed out after 2000 ms",
                                    List.of(),
                                    List.of(),
                                    null,
                                    null,
                                    null)))),

    COMMAND(
            "/router",
            "7d1f0c8e-2a4b-4c6d-8e0f-1a2b3c4d5e6f",
            "01958a3c-6f1e-7a2b-8c3d-4e5f60718204",
            new FleetCommand(
                    "7d1f0c8e-2a4b-4c6d-8e0f-1a2b3c4d5e6f",
                    "gpu-host-01",
                    FleetCommand.Action.PRELOAD,
                    "llama3.1:70b",
                    "http://10.0.0.5:11434",
                    "10m",
                    "operator:alice",
                    Instant.parse("2026-03-01T10:15:00Z"))),

    COMMAND_RESULT(
            "/gpu-agent/gpu-host-01",
            "7d1f0c8e-2a4b-4c6d-8e0f-1a2b3c4d5e6f",
            "01958a3c-6f1e-7a2b-8c3d-4e5f60718205",
            new FleetCommandResult(
                    "7d1f0c8e-2a4b-4c6d-8e0f-1a2b3c4d5e6f",
                    "gpu-host-01",
                    FleetCommandResult.Status.IN_PROGRESS,
                    "pulling 6a0746a1ec1a",
                    1_234_567_890L,
                    4_920_753_328L,
                    0.2509,
                    Instant.parse("2026-03-01T10:15:12.250Z"))),

    INGESTION(
            "/ingestion",
            "src_3f9a2c",
            "01958a3c-6f1e-7a2b-8c3d-4e5f60718206",
            new IngestionJob(
                    "job_8b7c6d",
                    "src_3f9a2c",
                    "acme",
                    IngestionJob.Action.INGEST,
                    "incident-runbook.pdf",
                    "application/pdf",
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    482_113L,
                    "/var/lib/sovereign/ingestion/staging/acme/job_8b7c6d",
                    "ak_7f3c2a",
                    Instant.parse("2026-03-01T10:14:59.999Z")));

    private final CloudEvent<EventPayload> event;

    Sample(String source, String subject, String id, EventPayload data) {
        this.event = new CloudEvent<>(
                CloudEvent.SPEC_VERSION,
                id,
                source,
                EventType.of(data).type(),
                Instant.parse("2026-03-01T10:15:30.123456Z"),
                subject,
                CloudEvent.DATA_CONTENT_TYPE,
                data);
    }

    CloudEvent<EventPayload> event() {
        return event;
    }

    EventPayload data() {
        return event.data();
    }

    /** Where the golden JSON of this event lies on the test class path. */
    String goldenResource() {
        return "/golden/" + event.type() + ".json";
    }
}
