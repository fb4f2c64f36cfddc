package ai.sovereign.router.api;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.sovereign.router.telemetry.HostRegistry;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import tools.jackson.databind.json.JsonMapper;

/** GPU hosts as their gpu-agents last described them. */
@Controller("/api/orchestrator/hosts")
public class HostsController {

    private final HostRegistry hosts;
    private final AdminAccess admin;
    private final JsonMapper json;

    public HostsController(HostRegistry hosts, AdminAccess admin, JsonMapper json) {
        this.hosts = hosts;
        this.admin = admin;
        this.json = json;
    }

    @Get
    Map<String, Object> all(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("hosts", hosts.all().stream().map(h -> summary(h)).toList());
    }

    @Get("/{hostId}")
    Map<String, Object> one(HttpRequest<?> request, String hostId) {
        admin.require(request);
        HostRegistry.Host host = hosts.find(hostId).orElseThrow(() -> ApiException.notFound("no telemetry from host '"
                + hostId + "'; hosts: " + hosts.all().stream().map(h -> h.telemetry().hostId()).toList()));
        Map<String, Object> body = summary(host);
        body.put("telemetry", json.convertValue(host.telemetry(), Map.class));
        return body;
    }

    private static Map<String, Object> summary(HostRegistry.Host host) {
        var t = host.telemetry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostId", t.hostId());
        m.put("agentVersion", t.agentVersion());
        m.put("intervalSeconds", t.intervalSeconds());
        m.put("collectedAt", t.collectedAt().toString());
        m.put("receivedAt", host.receivedAt().toString());
        m.put("silent", host.silent());
        m.put("gpuSource", t.gpuSource().status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("gpus", t.gpus().size());
        m.put("servers", host.serverIds().stream().sorted().toList());
        return m;
    }
}
