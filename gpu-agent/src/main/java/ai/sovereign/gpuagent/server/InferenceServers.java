package ai.sovereign.gpuagent.server;

import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.events.GpuTelemetry.ServerType;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.gpuagent.http.ServerHttp;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The inference servers configured on this host, in name order, and how to probe them all at once. */
@Singleton
public final class InferenceServers {

    private final List<InferenceServer> servers;
    private final ServerProbe ollama;
    private final ServerProbe openAi;
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

    public InferenceServers(List<ServerSettings> settings, AgentSettings agent, ServerHttp http) {
        this.servers = settings.stream()
                .sorted(Comparator.comparing(ServerSettings::name))
                .map(s -> InferenceServer.of(s, agent.hostId()))
                .toList();
        this.ollama = new OllamaProbe(http);
        this.openAi = new OpenAiProbe(http);
    }

    public List<InferenceServer> all() {
        return servers;
    }

    /** The server a command without a server URL acts on: the first Ollama server. */
    public Optional<InferenceServer> defaultOllama() {
        return servers.stream().filter(s -> s.type() == ServerType.OLLAMA).findFirst();
    }

    /** The server configured as {@code gpu-agent.servers.<name>}. */
    public Optional<InferenceServer> byName(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The configured server with base URL {@code url} (trailing slashes ignored). */
    public Optional<InferenceServer> byUrl(String url) {
        String normalised = url.strip().replaceAll("/+$", "");
        return servers.stream().filter(s -> s.url().equals(normalised)).findFirst();
    }

    /** Probes every server in parallel; one status per server, in configuration order. */
    public List<ServerStatus> probeAll() {
        if (servers.isEmpty()) {
            return List.of();
        }
        if (servers.size() == 1) {
            return List.of(probe(servers.getFirst()));
        }
        List<Future<ServerStatus>> pending = new ArrayList<>();
        for (InferenceServer server : servers) {
            pending.add(probes.submit(() -> probe(server)));
        }
        List<ServerStatus> statuses = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            try {
                statuses.add(pending.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                statuses.add(ServerProbe.unhealthy(servers.get(i), "interrupted"));
            } catch (java.util.concurrent.ExecutionException e) {
                statuses.add(ServerProbe.unhealthy(servers.get(i), String.valueOf(e.getCause())));
            }
        }
        return statuses;
    }

    public ServerStatus probe(InferenceServer server) {
        return switch (server.type()) {
            case OLLAMA -> ollama.probe(server);
            case OPENAI, VLLM -> openAi.probe(server);
        };
    }

    @PreDestroy
    void close() {
        probes.shutdownNow();
    }
}
