package ai.sovereign.local;

import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import java.util.List;
import java.util.Map;

/**
 * A simulated GPU host of the all-in-one: an llm-simulator serving {@link #MODELS} in the Ollama dialect, watched
 * by the host's gpu-agent with the simulated GPU source.
 */
public final class GpuHost implements AutoCloseable {

    /** The models every simulated host serves. */
    public static final List<String> MODELS = List.of("llama3.1:8b", "nomic-embed-text");

    private final String hostId;
    private final LlmSimulator simulator;

    private GpuHost(String hostId, LlmSimulator simulator) {
        this.hostId = hostId;
        this.simulator = simulator;
    }

    /** Starts the host's inference server on {@code port} (0: any free port), seeded by the host's position. */
    public static GpuHost start(String hostId, int port, long seed) {
        return new GpuHost(
                hostId,
                LlmSimulator.start(SimulatorConfig.defaults()
                        .withHost("127.0.0.1")
                        .withPort(port)
                        .withSeed(seed)
                        .withModels(MODELS)));
    }

    public String hostId() {
        return hostId;
    }

    /** Base URL of the host's Ollama-compatible inference server. */
    public String inferenceUrl() {
        return simulator.baseUrl();
    }

    /** The host's inference server as the router sees it. */
    public InferenceServer inferenceServer() {
        return new InferenceServer(hostId, simulator.baseUrl(), "ollama", InferenceServer.DEFAULT_MAX_CONCURRENCY);
    }

    /** Settings of the host's gpu-agent: its id, the simulated GPU source and its inference server. */
    public Map<String, Object> agentProperties() {
        // the server id matches the router's entry for this host, so telemetry updates that entry
        return Map.of(
                "gpu-agent.host-id",
                hostId,
                "gpu-agent.gpu-source",
                "simulated",
                "gpu-agent.servers.main.id",
                hostId,
                "gpu-agent.servers.main.url",
                simulator.baseUrl(),
                "gpu-agent.servers.main.type",
                "ollama",
                "gpu-agent.servers.main.max-concurrency",
                InferenceServer.DEFAULT_MAX_CONCURRENCY);
    }

    @Override
    public void close() {
        simulator.close();
    }
}
