package ai.sovereign.router.api;

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
import ai.sovereign.router.replication.FleetStateReplication;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.json.FieldChanges;
import ai.sovereign.runtime.security.Caller;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet's operations API: health, servers (add, delete, drain, maintenance), in-flight, models. Its answers show
 * null and empty fields as such ({@code ALWAYS}), as the maps they replaced did.
 */
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
    private final FleetStateReplication replication;
    private final JsonMapper json;

    public FleetController(
            FleetRegistry fleet,
            VersionedRoutingConfig config,
            ConfigDocumentCodec codec,
            SlotScheduler scheduler,
            BreakerBoard breakers,
            BanList bans,
            CandidateSelector selector,
            RouterSettings settings,
            AdminAccess admin,
            FleetStateReplication replication,
            JsonMapper json) {
        this.fleet = fleet;
        this.config = config;
        this.codec = codec;
        this.scheduler = scheduler;
        this.breakers = breakers;
        this.bans = bans;
        this.selector = selector;
        this.settings = settings;
        this.admin = admin;
        this.replication = replication;
        this.json = json;
    }

    /** The router at a glance; {@code status} is {@code healthy}, {@code degraded} or {@code unhealthy}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Health(
            String status,
            long uptimeSeconds,
            String version,
            long serversHealthy,
            int serversTotal,
            int queueDepth,
            boolean queuePaused,
            int configVersion) {}

    /**
     * A server as operators see it; times as ISO-8601 text.
     *
     * @param loadedModels  null when the server cannot tell (OpenAI-type servers without gpu-agent telemetry)
     * @param registeredBy  {@code gpu-agent:<host>} for a server a gpu-agent reported, else null
     * @param configVersion only in the answer to {@code servers/add}: the config version that added it
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ServerView(
            String id,
            String url,
            String type,
            int maxConcurrency,
            int slotShare,
            String status,
            boolean healthy,
            boolean draining,
            @Nullable MaintenanceView maintenance,
            int inFlight,
            long served,
            SortedSet<String> models,
            @Nullable SortedSet<String> loadedModels,
            @Nullable Double gpuMemoryFreeRatio,
            @Nullable String lastError,
            @Nullable String registeredBy,
            @Nullable String lastCheckAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Integer configVersion) {

        static ServerView of(BackendServer server) {
            ServerSpec spec = server.spec();
            Maintenance m = server.maintenance();
            return new ServerView(
                    spec.id(),
                    spec.url(),
                    spec.type().wireName(),
                    spec.maxConcurrency(),
                    server.slotLimit(),
                    server.status(),
                    server.healthy(),
                    server.draining(),
                    m == null
                            ? null
                            : new MaintenanceView(m.reason(), m.by(), m.since().toString()),
                    server.inFlight(),
                    server.served(),
                    new TreeSet<>(server.models()),
                    server.loadedModelsKnown() ? new TreeSet<>(server.loadedModels()) : null,
                    server.gpuMemoryFreeRatio(),
                    server.lastError(),
                    server.registeredBy() == null ? null : "gpu-agent:" + server.registeredBy(),
                    server.lastCheckAt() == null ? null : server.lastCheckAt().toString(),
                    null);
        }

        ServerView addedIn(int version) {
            return new ServerView(
                    id,
                    url,
                    type,
                    maxConcurrency,
                    slotShare,
                    status,
                    healthy,
                    draining,
                    maintenance,
                    inFlight,
                    served,
                    models,
                    loadedModels,
                    gpuMemoryFreeRatio,
                    lastError,
                    registeredBy,
                    lastCheckAt,
                    version);
        }
    }

    /** Why, by whom and since when a server is in maintenance. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MaintenanceView(String reason, String by, String since) {}

    /** Every server. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Servers(List<ServerView> servers) {}

    /** A server taken out of the fleet, the requests it still had, and the config version without it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Deleted(String deleted, int inFlight, int configVersion) {}

    /** Requests in flight, in total and per server id, and those waiting in the queue. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record InFlight(int total, Map<String, Integer> servers, int queued) {}

    /**
     * Where a model can run now.
     *
     * @param unavailable each excluded server as {@code <id>: <reason>}
     * @param breakers    breaker state per server id
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ModelStatus(
            String model,
            List<String> servers,
            List<String> available,
            List<String> unavailable,
            List<String> loadedOn,
            Map<String, String> breakers,
            List<String> banned,
            int queued) {}

    /** Every model of the fleet. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ModelsStatus(List<ModelStatus> models) {}

    @Get("/health")
    Health health(HttpRequest<?> request) {
        admin.require(request);
        long healthy = fleet.all().stream().filter(BackendServer::healthy).count();
        int total = fleet.all().size();
        return new Health(
                total > 0 && healthy == 0 ? "unhealthy" : healthy < total ? "degraded" : "healthy",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000,
                settings.version(),
                healthy,
                total,
                scheduler.size(),
                scheduler.paused(),
                config.current().version());
    }

    @Get("/servers")
    Servers servers(HttpRequest<?> request) {
        admin.require(request);
        return new Servers(fleet.all().stream().map(ServerView::of).toList());
    }

    @Post("/servers/add")
    @Status(HttpStatus.CREATED)
    ServerView add(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode node = body == null || body.length == 0 ? null : readJson(body);
        ServerSpec spec = codec.readServer(node);
        if (config.config().server(spec.id()).isPresent()) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "server '" + spec.id() + "' is already in the fleet; " + "DELETE /api/orchestrator/servers/"
                            + spec.id() + " first to replace it",
                    "server_exists",
                    "id");
        }
        var version = config.change(
                caller.subject(),
                "add server " + spec.id(),
                c -> c.withServers(list -> {
                    List<ServerSpec> all = new ArrayList<>(list);
                    all.add(spec);
                    return all;
                }));
        admin.audit(
                request,
                caller,
                "router.server.add",
                "server",
                spec.id(),
                Map.of(
                        "url",
                        spec.url(),
                        "type",
                        spec.type().wireName(),
                        "maxConcurrency",
                        spec.maxConcurrency(),
                        "configVersion",
                        version.version(),
                        "changes",
                        FieldChanges.between(Map.of(), FieldChanges.flatten(codec.writeServer(spec)))));
        return ServerView.of(fleet.require(spec.id())).addedIn(version.version());
    }

    @Delete("/servers/{id}")
    Deleted delete(HttpRequest<?> request, String id) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        BackendServer server = fleet.require(id);
        JsonNode removed =
                config.config().server(id).<JsonNode>map(codec::writeServer).orElseGet(json::createObjectNode);
        var version = config.change(
                caller.subject(),
                "delete server " + id,
                c -> c.withServers(
                        list -> list.stream().filter(s -> !s.id().equals(id)).toList()));
        admin.audit(
                request,
                caller,
                "router.server.delete",
                "server",
                id,
                Map.of(
                        "reason",
                        reason,
                        "configVersion",
                        version.version(),
                        "changes",
                        FieldChanges.between(FieldChanges.flatten(removed), Map.of())));
        return new Deleted(id, server.inFlight(), version.version());
    }

    @Post("/servers/{id}/drain")
    ServerView drain(HttpRequest<?> request, String id) {
        return setDrain(request, id, true);
    }

    @Post("/servers/{id}/undrain")
    ServerView undrain(HttpRequest<?> request, String id) {
        return setDrain(request, id, false);
    }

    private ServerView setDrain(HttpRequest<?> request, String id, boolean draining) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        BackendServer server = fleet.require(id);
        boolean was = server.draining();
        replication.drain(server, draining, caller.subject());
        admin.audit(
                request,
                caller,
                draining ? "router.server.drain" : "router.server.undrain",
                "server",
                id,
                Map.of(
                        "reason",
                        reason,
                        "changes",
                        FieldChanges.between(Map.of("draining", was), Map.of("draining", server.draining())),
                        "inFlight",
                        server.inFlight()));
        return ServerView.of(server);
    }

    @Post("/servers/{id}/maintenance")
    ServerView maintenance(HttpRequest<?> request, String id, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        BackendServer server = fleet.require(id);
        JsonNode node = body == null || body.length == 0 ? json.createObjectNode() : readJson(body);
        JsonNode enabled = node.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw ApiException.badRequest(
                    "enabled must be true or false (got " + (enabled == null ? "nothing" : enabled) + ")", "enabled");
        }
        JsonNode reason = node.get("reason");
        if (reason != null && !reason.isNull() && !reason.isString()) {
            throw ApiException.badRequest("reason must be a string", "reason");
        }
        String why = AdminAccess.checkedReason(reason == null || reason.isNull() ? null : reason.asString());
        Map<String, Object> before = maintenanceState(server);
        replication.maintenance(
                server,
                enabled.booleanValue() ? new Maintenance(why, caller.subject(), Instant.now()) : null,
                caller.subject());
        admin.audit(
                request,
                caller,
                enabled.booleanValue() ? "router.server.maintenance.enable" : "router.server.maintenance.disable",
                "server",
                id,
                Map.of("reason", why, "changes", FieldChanges.between(before, maintenanceState(server))));
        return ServerView.of(server);
    }

    private static Map<String, Object> maintenanceState(BackendServer server) {
        Map<String, Object> state = new java.util.LinkedHashMap<>();
        Maintenance maintenance = server.maintenance();
        state.put("maintenance", maintenance != null);
        state.put("maintenance.reason", maintenance == null ? null : maintenance.reason());
        return state;
    }

    @Get("/in-flight")
    InFlight inFlight(HttpRequest<?> request) {
        admin.require(request);
        Map<String, Integer> perServer = new TreeMap<>();
        int total = 0;
        for (BackendServer server : fleet.all()) {
            perServer.put(server.id(), server.inFlight());
            total += server.inFlight();
        }
        return new InFlight(total, perServer, scheduler.size());
    }

    @Get("/models/status")
    ModelsStatus models(HttpRequest<?> request) {
        admin.require(request);
        List<ModelStatus> models = new ArrayList<>();
        var waiting = scheduler.snapshot(0).perModel();
        fleet.modelIndex().forEach((model, serverIds) -> {
            var candidates = selector.select(model, false);
            models.add(new ModelStatus(
                    model,
                    serverIds,
                    candidates.eligible().stream().map(BackendServer::id).toList(),
                    candidates.excluded(),
                    fleet.all().stream()
                            .filter(s -> s.holds(model) && s.loadedModelsKnown() && s.hasLoaded(model))
                            .map(BackendServer::id)
                            .toList(),
                    breakers.all().stream()
                            .filter(b -> b.model().equals(model))
                            .collect(java.util.stream.Collectors.toMap(
                                    b -> b.serverId(), b -> b.state().wireName(), (a, b) -> a, TreeMap::new)),
                    bans.active().stream()
                            .filter(b -> b.model().equals(model))
                            .map(b -> b.serverId())
                            .toList(),
                    waiting.getOrDefault(model, 0)));
        });
        return new ModelsStatus(models);
    }

    private JsonNode readJson(byte[] body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not valid JSON", null);
        }
    }
}
