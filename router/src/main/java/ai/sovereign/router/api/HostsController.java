package ai.sovereign.router.api;

import ai.sovereign.router.telemetry.HostRegistry;
import ai.sovereign.runtime.errors.ApiException;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * GPU hosts as their gpu-agents last described them. Its answers show null and empty fields as such
 * ({@code ALWAYS}), as the maps they replaced did.
 */
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

    /**
     * A host in short; times as ISO-8601 text.
     *
     * @param gpuSource the agent's GPU source state, lower case ({@code ok}, ...)
     * @param gpus      how many GPUs it reported
     * @param servers   the fleet's server ids on it
     * @param telemetry only for one host: its last {@code gpu.telemetry.v1} snapshot as the event carries it
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record HostView(
            String hostId,
            String agentVersion,
            int intervalSeconds,
            String collectedAt,
            String receivedAt,
            boolean silent,
            String gpuSource,
            int gpus,
            List<String> servers,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Map<String, Object> telemetry) {

        static HostView of(HostRegistry.Host host, @Nullable Map<String, Object> telemetry) {
            var t = host.telemetry();
            return new HostView(
                    t.hostId(),
                    t.agentVersion(),
                    t.intervalSeconds(),
                    t.collectedAt().toString(),
                    host.receivedAt().toString(),
                    host.silent(),
                    t.gpuSource().status().name().toLowerCase(Locale.ROOT),
                    t.gpus().size(),
                    host.serverIds().stream().sorted().toList(),
                    telemetry);
        }
    }

    /** Every host heard from. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Hosts(List<HostView> hosts) {}

    @Get
    Hosts all(HttpRequest<?> request) {
        admin.require(request);
        return new Hosts(hosts.all().stream().map(h -> HostView.of(h, null)).toList());
    }

    @Get("/{hostId}")
    @SuppressWarnings("unchecked")
    HostView one(HttpRequest<?> request, String hostId) {
        admin.require(request);
        HostRegistry.Host host = hosts.find(hostId)
                .orElseThrow(() -> ApiException.notFound("no telemetry from host '" + hostId + "'; hosts: "
                        + hosts.all().stream().map(h -> h.telemetry().hostId()).toList()));
        // The snapshot as Jackson writes the event record (the events codec's form), not re-shaped here.
        return HostView.of(host, json.convertValue(host.telemetry(), Map.class));
    }
}
