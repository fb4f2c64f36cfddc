package ai.sovereign.gateway.ollama;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.ModelPolicy;
import ai.sovereign.gateway.auth.PriorityCap;
import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.openai.OpenAiController;
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
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Ollama dialect ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}, {@code /api/embeddings},
 * {@code /api/tags}, {@code /api/ps}, {@code /api/show}, {@code /api/version}), translated to the router's OpenAI
 * API and back. Same keys, limits and metering as the OpenAI dialect.
 */
@Controller("/api")
@Consumes(MediaType.ALL)
public class OllamaController {

    /** The Ollama API version the gateway presents; clients check it for features. */
    static final String OLLAMA_VERSION = "0.12.6";

    private final RequestAuthenticator authenticator;
    private final InferenceForwarder forwarder;
    private final UpstreamClient upstream;
    private final UpstreamSettings settings;
    private final HotPath hotPath;

    public OllamaController(
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

    @Post("/chat")
    public CompletableFuture<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body, "/api/chat", "/v1/chat/completions", OllamaDialect.Kind.CHAT, in -> {
            JsonNode messages = in.get("messages");
            if (messages == null || messages.isNull()) {
                in.putArray("messages");
            }
            ObjectNode translated = OllamaRequests.chat(in);
            return translated.get("messages").isEmpty() ? null : translated;
        });
    }

    @Post("/generate")
    public CompletableFuture<MutableHttpResponse<?>> generate(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body, "/api/generate", "/v1/chat/completions", OllamaDialect.Kind.GENERATE, in -> {
            ObjectNode translated = OllamaRequests.generate(in);
            return OllamaRequests.prompt(in).isEmpty() ? null : translated;
        });
    }

    @Post("/embed")
    public CompletableFuture<MutableHttpResponse<?>> embed(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body, "/api/embed", "/v1/embeddings", OllamaDialect.Kind.EMBED, OllamaRequests::embed);
    }

    @Post("/embeddings")
    public CompletableFuture<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(
                request,
                body,
                "/api/embeddings",
                "/v1/embeddings",
                OllamaDialect.Kind.EMBEDDINGS,
                OllamaRequests::embeddings);
    }

    @Get("/tags")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> tags(HttpRequest<?> request) {
        return json(modelList(authenticator.authenticate(request), false));
    }

    /**
     * The fleet's models the key may use. The router pools servers and keeps residency to itself, so this lists what
     * can be served rather than what sits in one server's memory.
     */
    @Get("/ps")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> ps(HttpRequest<?> request) {
        return json(modelList(authenticator.authenticate(request), true));
    }

    @Post("/show")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public MutableHttpResponse<?> show(HttpRequest<?> request, @Body @Nullable byte[] raw) {
        KeyContext caller = authenticator.authenticate(request);
        ObjectNode body = JsonBodies.parseObject(raw);
        String model = body.has("model") ? JsonBodies.modelName(body, "model") : JsonBodies.modelName(body, "name");
        authenticator.requireModel(caller, model);
        boolean known = false;
        for (JsonNode m :
                OpenAiController.fetchModels(upstream, settings, caller).path("data")) {
            known |= model.equals(m.path("id").asString(""));
        }
        if (!known) {
            throw new ApiException(
                    HttpStatus.NOT_FOUND, "model \"" + model + "\" not found", "model_not_found", "model");
        }
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        out.put("modelfile", "").put("parameters", "").put("template", "{{ .Prompt }}");
        out.set("details", details());
        out.putObject("model_info");
        out.putArray("capabilities").add(isEmbedding(model) ? "embedding" : "completion");
        out.put("modified_at", Instant.EPOCH.toString());
        return json(out);
    }

    /** Answered without a key: clients call it to find out whether this is an Ollama server at all. */
    @Get("/version")
    public MutableHttpResponse<?> version() {
        return json(JsonBodies.MAPPER.createObjectNode().put("version", OLLAMA_VERSION));
    }

    private ObjectNode modelList(KeyContext caller, boolean running) {
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        ArrayNode models = out.putArray("models");
        for (JsonNode m :
                OpenAiController.fetchModels(upstream, settings, caller).path("data")) {
            String id = m.path("id").asString("");
            if (!ModelPolicy.allows(caller.key().allowedModels(), id)) {
                continue;
            }
            ObjectNode entry = models.addObject().put("name", id).put("model", id);
            String created = Instant.ofEpochSecond(m.path("created").asLong(0)).toString();
            if (running) {
                entry.put("size", 0)
                        .put("digest", "")
                        .put("expires_at", Instant.now().plusSeconds(300).toString())
                        .put("size_vram", 0);
            } else {
                entry.put("modified_at", created).put("size", 0).put("digest", "");
            }
            entry.set("details", details());
        }
        return out;
    }

    private static ObjectNode details() {
        ObjectNode details = JsonBodies.MAPPER.createObjectNode();
        details.put("parent_model", "")
                .put("format", "gguf")
                .put("family", "")
                .putNull("families")
                .put("parameter_size", "")
                .put("quantization_level", "");
        return details;
    }

    private static boolean isEmbedding(String model) {
        return model.contains("embed") || model.contains("minilm") || model.contains("bge");
    }

    /**
     * @param translate the OpenAI request for the router, or null when the Ollama request only loads the model
     *                  (no messages / empty prompt), which the gateway answers itself
     */
    private CompletableFuture<MutableHttpResponse<?>> forward(
            HttpRequest<?> request,
            @Nullable byte[] raw,
            String path,
            String upstreamPath,
            OllamaDialect.Kind kind,
            Function<ObjectNode, ObjectNode> translate) {
        long start = System.nanoTime();
        return hotPath.run(
                request, caller -> forward(caller, request, raw, path, upstreamPath, kind, translate, start));
    }

    private CompletableFuture<MutableHttpResponse<?>> forward(
            KeyContext caller,
            HttpRequest<?> request,
            @Nullable byte[] raw,
            String path,
            String upstreamPath,
            OllamaDialect.Kind kind,
            Function<ObjectNode, ObjectNode> translate,
            long start) {
        ObjectNode body = JsonBodies.parseObject(raw);
        String model = JsonBodies.modelName(body, "model");
        boolean stream =
                (kind == OllamaDialect.Kind.CHAT || kind == OllamaDialect.Kind.GENERATE) && OllamaRequests.stream(body);
        ObjectNode openAi = translate.apply(body);
        authenticator.requireModel(caller, model);
        if (openAi == null) {
            ObjectNode loaded = JsonBodies.MAPPER
                    .createObjectNode()
                    .put("model", model)
                    .put("created_at", Instant.now().toString());
            if (kind == OllamaDialect.Kind.CHAT) {
                loaded.putObject("message").put("role", "assistant").put("content", "");
            } else {
                loaded.put("response", "");
            }
            loaded.put("done_reason", "load").put("done", true);
            return CompletableFuture.completedFuture(json(loaded));
        }
        return forwarder.forward(
                new InferenceForwarder.Call(
                        caller,
                        path,
                        upstreamPath,
                        openAi,
                        null,
                        model,
                        stream,
                        false,
                        PriorityCap.applied(caller.key(), request.getHeaders().get(UpstreamClient.PRIORITY_HEADER)),
                        start),
                new OllamaDialect(kind, model, start));
    }

    private static MutableHttpResponse<?> json(ObjectNode body) {
        return HttpResponse.ok(JsonBodies.MAPPER.writeValueAsString(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
