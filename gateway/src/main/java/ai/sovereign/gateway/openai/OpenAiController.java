package ai.sovereign.gateway.openai;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.ModelPolicy;
import ai.sovereign.gateway.auth.PriorityCap;
import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.proxy.HotPath;
import ai.sovereign.gateway.proxy.InferenceForwarder;
import ai.sovereign.gateway.upstream.UpstreamClient;
import ai.sovereign.gateway.upstream.UpstreamSettings;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAI dialect: chat, completions, embeddings and the key's model list, forwarded to the router. */
@Controller("/v1")
@Consumes(MediaType.ALL)
public class OpenAiController {

    private final RequestAuthenticator authenticator;
    private final InferenceForwarder forwarder;
    private final UpstreamClient upstream;
    private final UpstreamSettings settings;
    private final HotPath hotPath;

    public OpenAiController(
            RequestAuthenticator authenticator,
            InferenceForwarder forwarder,
            UpstreamClient upstream,
            UpstreamSettings settings,
            HotPath hotPath) {
        this.authenticator = authenticator;
        this.hotPath = hotPath;
        this.forwarder = forwarder;
        this.upstream = upstream;
        this.settings = settings;
    }

    @Post("/chat/completions")
    public CompletableFuture<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body, "/v1/chat/completions", OpenAiRequests::chat);
    }

    @Post("/completions")
    public CompletableFuture<MutableHttpResponse<?>> completions(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body, "/v1/completions", OpenAiRequests::completion);
    }

    @Post("/embeddings")
    public CompletableFuture<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body, "/v1/embeddings", OpenAiRequests::embedding);
    }

    @Get("/models")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> models(HttpRequest<?> request) {
        KeyContext caller = authenticator.authenticate(request);
        ObjectNode list = fetchModels(upstream, settings, caller);
        ArrayNode kept = JsonBodies.MAPPER.createArrayNode();
        for (JsonNode model : list.path("data")) {
            if (ModelPolicy.allows(
                    caller.key().allowedModels(), model.path("id").asString(""))) {
                kept.add(model);
            }
        }
        list.set("data", kept);
        return HttpResponse.ok(JsonBodies.MAPPER.writeValueAsString(list)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The router's {@code /v1/models} answer, unfiltered. */
    public static ObjectNode fetchModels(UpstreamClient upstream, UpstreamSettings settings, KeyContext caller) {
        java.net.http.HttpResponse<byte[]> response = upstream.exchange(
                new UpstreamClient.Call(
                        URI.create(settings.primaryRouter() + "/v1/models"),
                        "GET",
                        null,
                        null,
                        MediaType.APPLICATION_JSON,
                        caller,
                        null),
                "router");
        if (response.statusCode() != 200) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "router answered " + response.statusCode() + " to /v1/models",
                    "upstream_error",
                    null);
        }
        try {
            JsonNode node = JsonBodies.MAPPER.readTree(response.body());
            if (node.isObject() && node.path("data").isArray()) {
                return (ObjectNode) node;
            }
        } catch (JacksonException e) {
            // fall through
        }
        throw new ApiException(
                HttpStatus.BAD_GATEWAY, "router's /v1/models answer is not a model list", "upstream_error", null);
    }

    private CompletableFuture<MutableHttpResponse<?>> forward(
            HttpRequest<?> request, @Nullable byte[] raw, String path, Function<ObjectNode, String> validate) {
        long start = System.nanoTime();
        return hotPath.run(request, caller -> {
            ObjectNode body = JsonBodies.parseObject(raw);
            String model = validate.apply(body);
            authenticator.requireModel(caller, model);
            boolean stream = JsonBodies.optionalBoolean(body, "stream", false);
            return forwarder.forward(
                    new InferenceForwarder.Call(
                            caller,
                            path,
                            path,
                            body,
                            raw,
                            model,
                            stream,
                            OpenAiRequests.wantsUsage(body),
                            PriorityCap.applied(
                                    caller.key(), request.getHeaders().get(UpstreamClient.PRIORITY_HEADER)),
                            start),
                    OpenAiDialect.INSTANCE);
        });
    }
}
