package ai.sovereign.router.api;

import ai.sovereign.router.config.ConfigDocumentCodec;
import ai.sovereign.router.config.ConfigFiles;
import ai.sovereign.router.config.ConfigVersion;
import ai.sovereign.router.config.RoutingConfig;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.json.FieldChanges;
import ai.sovereign.runtime.security.Caller;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned routing configuration: read, replace, patch sections, schema, history, rollback, reload from and
 * save to a file. Every change is validated first (400 naming the field, nothing changed) and stored as a new version.
 * Its answers show null and empty fields as such ({@code ALWAYS}), as the maps they replaced did.
 */
@Controller("/api/orchestrator/config")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConfigController {

    private final VersionedRoutingConfig config;
    private final ConfigDocumentCodec codec;
    private final ConfigFiles files;
    private final AdminAccess admin;
    private final JsonMapper json;

    public ConfigController(
            VersionedRoutingConfig config,
            ConfigDocumentCodec codec,
            ConfigFiles files,
            AdminAccess admin,
            JsonMapper json) {
        this.config = config;
        this.codec = codec;
        this.files = files;
        this.admin = admin;
        this.json = json;
    }

    /**
     * A stored version of the routing document.
     *
     * @param config the document as {@link ConfigDocumentCodec} writes it (the same as a config file holds), passed
     *               through as it is; absent from history listings
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record VersionView(
            int version,
            String author,
            String change,
            String createdAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Map<String, Object> config) {}

    /** The latest versions, newest first, without their documents. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record History(int current, List<VersionView> versions) {}

    /** Where the current version was saved. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Saved(String saved, int version) {}

    @Get
    VersionView current(HttpRequest<?> request) {
        admin.require(request);
        return view(config.current(), true);
    }

    /** Replaces the whole document (absent sections take their defaults). */
    @Post
    VersionView replace(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        RoutingConfig next = codec.read(read(body), RoutingConfig.defaults());
        return changed(
                request,
                caller,
                "router.config.replace",
                config.change(caller.subject(), "replace the document", c -> next));
    }

    @Patch("/queue")
    VersionView patchQueue(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode patch = read(body);
        var queue = codec.readQueuePatch(patch, config.config().queue());
        return changed(
                request,
                caller,
                "router.config.queue",
                config.change(caller.subject(), "queue: " + patch, c -> c.withQueue(queue)));
    }

    @Patch("/metrics")
    VersionView patchMetrics(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode patch = read(body);
        var metrics = codec.readMetricsPatch(patch, config.config().metrics());
        return changed(
                request,
                caller,
                "router.config.metrics",
                config.change(caller.subject(), "metrics: " + patch, c -> c.withMetrics(metrics)));
    }

    /** Signal weights and prefix affinity, live: {@code {"weights": {"prefix": 0}}} turns prefix affinity off. */
    @Patch("/balancing")
    VersionView patchBalancing(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode patch = read(body);
        var balancing = codec.readBalancingPatch(patch, config.config().balancing());
        return changed(
                request,
                caller,
                "router.config.balancing",
                config.change(caller.subject(), "balancing: " + patch, c -> c.withBalancing(balancing)));
    }

    @Get(uri = "/schema", produces = MediaType.APPLICATION_JSON)
    HttpResponse<byte[]> schema(HttpRequest<?> request) throws IOException {
        admin.require(request);
        try (InputStream in = getClass().getResourceAsStream("/config-schema.json")) {
            return HttpResponse.ok(in.readAllBytes()).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
    }

    @Get("/history")
    History history(HttpRequest<?> request, @QueryValue(defaultValue = "50") int limit) {
        admin.require(request);
        List<VersionView> versions = config.history(Math.clamp(limit, 1, 1000)).stream()
                .map(v -> view(v, false))
                .toList();
        return new History(config.current().version(), versions);
    }

    @Get("/history/{version}")
    VersionView version(HttpRequest<?> request, int version) {
        admin.require(request);
        return view(
                config.version(version)
                        .orElseThrow(() ->
                                ApiException.notFound("config version " + version + " does not exist; the latest is "
                                        + config.current().version())),
                true);
    }

    @Post("/rollback/{version}")
    VersionView rollback(HttpRequest<?> request, int version) {
        Caller caller = admin.require(request);
        ConfigVersion stored = config.rollback(version, caller.subject());
        return changed(request, caller, "router.config.rollback", stored);
    }

    @Post("/reload")
    VersionView reload(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode node = read(body);
        Path path = files.resolve(
                node.path("configPath").isString() ? node.path("configPath").asString() : null, "configPath");
        RoutingConfig next = codec.read(files.read(path, "configPath"), RoutingConfig.defaults());
        return changed(
                request,
                caller,
                "router.config.reload",
                config.change(caller.subject(), "reload from " + path, c -> next));
    }

    @Post("/save")
    Saved save(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        JsonNode node = body == null || body.length == 0 ? json.createObjectNode() : read(body);
        String name =
                node.path("configPath").isString() ? node.path("configPath").asString() : "routing.yml";
        Path path = files.resolve(name, "configPath");
        ConfigVersion current = config.current();
        try {
            files.write(path, codec.write(current.config()));
        } catch (IOException e) {
            throw new ApiException(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "could not write " + path + ": " + e.getMessage(),
                    "save_failed",
                    "configPath");
        }
        admin.audit(
                request, caller, "router.config.save", "config", path.toString(), Map.of("version", current.version()));
        return new Saved(path.toString(), current.version());
    }

    /** Audits a stored change with each changed field's value before and after it (the version it was made on). */
    private VersionView changed(HttpRequest<?> request, Caller caller, String action, ConfigVersion stored) {
        Map<String, Object> changes = config.version(stored.version() - 1)
                .map(previous -> FieldChanges.between(codec.write(previous.config()), codec.write(stored.config())))
                .orElse(Map.of());
        admin.audit(
                request,
                caller,
                action,
                "config",
                "routing",
                Map.of("version", stored.version(), "change", stored.change(), "changes", changes));
        return view(stored, true);
    }

    @SuppressWarnings("unchecked")
    private VersionView view(ConfigVersion version, boolean withDocument) {
        return new VersionView(
                version.version(),
                version.author(),
                version.change(),
                version.createdAt().toString(),
                withDocument ? json.convertValue(codec.write(version.config()), Map.class) : null);
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty; send a JSON object", null);
        }
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not valid JSON", null);
        }
    }
}
