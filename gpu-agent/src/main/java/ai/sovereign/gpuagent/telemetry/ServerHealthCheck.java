package ai.sovereign.gpuagent.telemetry;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.gpuagent.server.InferenceServer;
import ai.sovereign.gpuagent.server.InferenceServers;
import ai.sovereign.gpuagent.server.ServerSettings;
import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import io.micronaut.context.annotation.EachBean;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} component {@code server:<name>} per configured inference server, from its last probe. */
@EachBean(ServerSettings.class)
public final class ServerHealthCheck implements HealthCheck {

    private final ServerSettings server;
    private final TelemetryCollector collector;
    private final InferenceServers servers;

    public ServerHealthCheck(ServerSettings server, TelemetryCollector collector, InferenceServers servers) {
        this.server = server;
        this.collector = collector;
        this.servers = servers;
    }

    @Override
    public String name() {
        return "server:" + server.name();
    }

    @Override
    public CheckResult check() {
        GpuTelemetry snapshot = collector.latestOrCollect();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", server.url());
        details.put("type", server.type().name().toLowerCase(java.util.Locale.ROOT));
        String id = servers.byName(server.name()).map(InferenceServer::id).orElse(null);
        ServerStatus status = snapshot.servers().stream()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .orElse(null);
        if (status == null) {
            details.put("error", "not probed yet");
            return CheckResult.down(details);
        }
        details.put("id", status.id());
        details.put("models", status.models().size());
        details.put("loadedModels", status.loadedModels().size());
        details.put("probedAt", snapshot.collectedAt().toString());
        if (!status.healthy()) {
            details.put("error", String.valueOf(status.error()));
            return CheckResult.down(details);
        }
        return CheckResult.up(details);
    }
}
