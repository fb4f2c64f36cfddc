package ai.sovereign.router.api;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.sovereign.router.balance.CandidateSelector;
import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.config.ConfigDocumentCodec;
import ai.sovereign.router.config.RouterSettings;
import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.fleet.Maintenance;
import ai.sovereign.router.queue.SlotScheduler;
import ai.sovereign.router.recovery.BanList;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fleet's operations API: health, servers (add, delete, drain, maintenance), in-flight, models. */
@Controller("/api/orchestrator")
public class FleetController {

    private final FleetRegistry fleet;
    private final VersionedRoutingConfig config;
    private final ConfigDocumentCodec codec;
    private final SlotScheduler scheduler;
    private final BreakerBoard breakers;
    private final BanList bans;
    private final CandidateSelector selector;
    private final RouterSettings settings;
    private final AdminAccess admin;
    private final JsonMapper json;

    public FleetController(FleetRegistry fleet, VersionedRoutingConfig config, ConfigDocumentCodec codec,
                           SlotScheduler scheduler, BreakerBoard breakers, BanList bans, CandidateSelector selector,
                           RouterSettings settings, AdminAccess admin, JsonMapper json) {
        this.fleet = fleet;
        this.config = config;
        this.codec = codec;
        this.scheduler = scheduler;
        this.breakers = breakers;
        this.bans = bans;
        this.selector = selector;
        this.settings = settings;
        this.admin = admin;
        this.json = json;
    }

    @Get("/health")
    Map<String, Object> health(HttpRequest<?> request) {
        admin.require(request);
        long healthy = fleet.all().stream().filter(BackendServer::healthy).count();
        int total = fleet.all().size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", total > 0 && healthy == 0 ? "unhealthy" : healthy < total ? "degraded" : "healthy");
        body.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        body.put("version", settings.version());
        body.put("serversHealthy", healthy);
        body.put("serversTotal", total);
        body.put("queueDepth", scheduler.size());
        body.put("queuePaused", scheduler.paused());
        body.put("configVersion", config.current().version());
        return body;
    }

    @Get("/servers")
    Map<String, Object> servers(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("servers", fleet.all().stream().map(this::view).toList());
    }

    @Post("/servers/add")
    @Status(HttpStatus.CREATED)
    Map<String, Object> add(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode node = body == null || body.length == 0 ? null : readJson(body);
        ServerSpec spec = codec.readServer(node);
        if (config.config().server(spec.id()).isPresent()) {
            throw new ApiException(HttpStatus.CONFLICT, "server '" + spec.id() + "' is already in the fleet; "
                    + "DELETE /api/orchestrator/servers/" + spec.id() + " first to replace it", "server_exists", "id");
        }
        var version = config.change(caller.subject(), "add server " + spec.id(), c -> c.withServers(list -> {
            List<ServerSpec> all = new ArrayList<>(list);
            all.add(spec);
            return all;
        }));
        admin.audit(request, caller, "router.server.add", "server", spec.id(),
                Map.of("url", spec.url(), "type", spec.type().wireName(), "maxConcurrency", spec.maxConcurrency(),
                        "configVersion", version.version()));
        Map<String, Object> view = view(fleet.require(spec.id()));
        view.put("configVersion", version.version());
        return view;
    }

    @Delete("/servers/{id}")
    Map<String, Object> delete(HttpRequest<?> request, String id) {
        Caller caller = admin.require(request);
        BackendServer server = fleet.require(id);
        var version = config.change(caller.subject(), "delete server " + id,
                c -> c.withServers(list -> list.stream().filter(s -> !s.id().equals(id)).toList()));
        admin.audit(request, caller, "router.server.delete", "server", id, Map.of("configVersion", version.version()));
        return Map.of("deleted", id, "inFlight", server.inFlight(), "configVersion", version.version());
    }

    @Post("/servers/{id}/drain")
    Map<String, Object> drain(HttpRequest<?> request, String id) {
        return setDrain(request, id, true);
    }

    @Post("/servers/{id}/undrain")
    Map<String, Object> undrain(HttpRequest<?> request, String id) {
        return setDrain(request, id, false);
    }

    private Map<String, Object> setDrain(HttpRequest<?> request, String id, boolean draining) {
        Caller caller = admin.require(request);
        BackendServer server = fleet.require(id);
        fleet.drain(server, draining);
        admin.audit(request, caller, draining ? "router.server.drain" : "router.server.undrain", "server", id,
                Map.of("inFlight", server.inFlight()));
        return view(server);
    }

    @Post("/servers/{id}/maintenance")
    Map<String, Object> maintenance(HttpRequest<?> request, String id, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        BackendServer server = fleet.require(id);
        JsonNode node = body == null || body.length == 0 ? json.createObjectNode() : readJson(body);
        JsonNode enabled = node.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw ApiException.badRequest("enabled must be true or false (got " + (enabled == null ? "nothing" : enabled) + ")", "enabled");
        }
        JsonNode reason = node.get("reason");
        if (reason != null && !reason.isNull() && !reason.isString()) {
            throw ApiException.badRequest("reason must be a string", "reason");
        }
        String why = reason == null || reason.isNull() || reason.asString().isBlank() ? "no reason given" : reason.asString();
        fleet.maintenance(server, enabled.booleanValue() ? new Maintenance(why, caller.subject(), Instant.now()) : null);
        admin.audit(request, caller, enabled.booleanValue() ? "router.server.maintenance.enable"
                : "router.server.maintenance.disable", "server", id, Map.of("reason", why));
        return view(server);
    }

    @Get("/in-flight")
    Map<String, Object> inFlight(HttpRequest<?> request) {
        admin.require(request);
        Map<String, Integer> perServer = new TreeMap<>();
        int total = 0;
        for (BackendServer server : fleet.all()) {
            perServer.put(server.id(), server.inFlight());
            total += server.inFlight();
        }
        return Map.of("total", total, "servers", perServer, "queued", scheduler.size());
    }

    @Get("/models/status")
    Map<String, Object> models(HttpRequest<?> request) {
        admin.require(request);
        List<Map<String, Object>> models = new ArrayList<>();
        var waiting = scheduler.snapshot(0).perModel();
        fleet.modelIndex().forEach((model, serverIds) -> {
            var candidates = selector.select(model, false);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("servers", serverIds);
            m.put("available", candidates.eligible().stream().map(BackendServer::id).toList());
            m.put("unavailable", candidates.excluded());
            m.put("loadedOn", fleet.all().stream().filter(s -> s.holds(model) && s.loadedModelsKnown() && s.hasLoaded(model))
                    .map(BackendServer::id).toList());
            m.put("breakers", breakers.all().stream().filter(b -> b.model().equals(model))
                    .collect(java.util.stream.Collectors.toMap(b -> b.serverId(), b -> b.state().wireName(), (a, b) -> a, TreeMap::new)));
            m.put("banned", bans.active().stream().filter(b -> b.model().equals(model)).map(b -> b.serverId()).toList());
            m.put("queued", waiting.getOrDefault(model, 0));
            models.add(m);
        });
        return Map.of("models", models);
    }

    private Map<String, Object> view(BackendServer server) {
        Map<String, Object> v = new LinkedHashMap<>();
        ServerSpec spec = server.spec();
        v.put("id", spec.id());
        v.put("url", spec.url());
        v.put("type", spec.type().wireName());
        v.put("maxConcurrency", spec.maxConcurrency());
        v.put("status", server.status());
        v.put("healthy", server.healthy());
        v.put("draining", server.draining());
        Maintenance m = server.maintenance();
        v.put("maintenance", m == null ? null : Map.of("reason", m.reason(), "by", m.by(), "since", m.since().toString()));
        v.put("inFlight", server.inFlight());
        v.put("served", server.served());
        v.put("models", new java.util.TreeSet<>(server.models()));
        v.put("loadedModels", server.loadedModelsKnown() ? new java.util.TreeSet<>(server.loadedModels()) : null);
        v.put("gpuMemoryFreeRatio", server.gpuMemoryFreeRatio());
        v.put("lastError", server.lastError());
        v.put("registeredBy", server.registeredBy() == null ? null : "gpu-agent:" + server.registeredBy());
        v.put("lastCheckAt", server.lastCheckAt() == null ? null : server.lastCheckAt().toString());
        return v;
    }

    private JsonNode readJson(byte[] body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not valid JSON", null);
        }
    }
}
