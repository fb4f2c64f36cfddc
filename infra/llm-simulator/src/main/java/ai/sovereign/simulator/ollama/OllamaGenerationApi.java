package ai.sovereign.simulator.ollama;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.KvCacheModel;
import ai.sovereign.simulator.generation.Completion;
import ai.sovereign.simulator.generation.CompletionPlanner;
import ai.sovereign.simulator.generation.CompletionRequest;
import ai.sovereign.simulator.generation.Prompt;
import ai.sovereign.simulator.generation.Prompts;
import ai.sovereign.simulator.generation.TokenCounter;
import ai.sovereign.simulator.generation.ToolChoice;
import ai.sovereign.simulator.generation.ToolSpec;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.inference.InferenceExchange;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /api/chat and POST /api/generate. A request without messages (chat) or with an empty prompt
 * (generate) only loads the model, or unloads it with {@code keep_alive: 0}: that is how Ollama
 * clients preload and evict models.
 */
public final class OllamaGenerationApi {

    private final ModelRegistry models;
    private final SimulatorMetrics metrics;
    private final CompletionPlanner planner;

    private final KvCacheModel kvCache;

    public OllamaGenerationApi(ModelRegistry models, SimulatorMetrics metrics, CompletionPlanner planner) {
        this(models, metrics, planner, null);
    }

    /** @param kvCache the server's prefix cache and prefill model; null for none */
    public OllamaGenerationApi(
            ModelRegistry models, SimulatorMetrics metrics, CompletionPlanner planner, KvCacheModel kvCache) {
        this.kvCache = kvCache;
        this.models = models;
        this.metrics = metrics;
        this.planner = planner;
    }

    public void chat(HttpExchange exchange) {
        OllamaRequest request = OllamaRequest.parse(exchange);
        if (request == null) {
            return;
        }
        JsonNode messages = request.body().path("messages");
        boolean loadOnly = !messages.isArray() || messages.isEmpty();
        serve(exchange, request, true, loadOnly, loadOnly ? null : Prompts.fromMessages(messages));
    }

    public void generate(HttpExchange exchange) {
        OllamaRequest request = OllamaRequest.parse(exchange);
        if (request == null) {
            return;
        }
        String prompt = Json.string(request.body(), "prompt", "");
        String system = Json.string(request.body(), "system", "");
        boolean loadOnly = prompt.isEmpty();
        Prompt input =
                new Prompt(system + "\n" + prompt, TokenCounter.count(system) + TokenCounter.count(prompt), prompt);
        serve(exchange, request, false, loadOnly, input);
    }

    private void serve(HttpExchange exchange, OllamaRequest request, boolean chat, boolean loadOnly, Prompt prompt) {
        SimulatedModel model = models.find(request.model()).orElse(null);
        if (model == null) {
            OllamaErrors.modelNotFound(exchange, request.model());
            return;
        }
        ModelBehaviour behaviour = model.behaviour();
        if (loadOnly) {
            loadOrUnload(exchange, request, chat, model, behaviour);
            return;
        }
        List<ToolSpec> tools = chat ? ToolSpec.parseAll(request.body().path("tools")) : List.of();
        CompletionRequest completionRequest = new CompletionRequest(
                model.name(), prompt, request.seed(), request.numPredict(), request.stop(), tools, ToolChoice.AUTO);
        Completion completion = planner.plan(completionRequest, behaviour.outputTokens());
        var responder = new OllamaResponder(chat, request.stream(), request.model(), completion);
        new InferenceExchange(
                        exchange,
                        model,
                        behaviour,
                        metrics.model(model.name()),
                        responder,
                        request.keepAlive(),
                        kvCache,
                        prompt)
                .start();
    }

    private void loadOrUnload(
            HttpExchange exchange,
            OllamaRequest request,
            boolean chat,
            SimulatedModel model,
            ModelBehaviour behaviour) {
        if (behaviour.unavailable()) {
            OllamaErrors.send(
                    exchange,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "model \"" + model.name() + "\" is unavailable (simulated)");
            return;
        }
        boolean unload = request.keepAlive().isZero();
        long loadNanos = 0;
        if (unload) {
            model.unload();
        } else if (model.load(request.keepAlive(), Instant.now())) {
            loadNanos = behaviour.loadTime().toNanos();
        }
        ObjectNode done = Json.object()
                .put("model", request.model())
                .put("created_at", Instant.now().toString());
        if (chat) {
            done.putObject("message").put("role", "assistant").put("content", "");
        } else {
            done.put("response", "");
        }
        done.put("done_reason", unload ? "unload" : "load").put("done", true);
        if (loadNanos > 0) {
            done.put("load_duration", loadNanos);
        }
        Runnable reply = () -> exchange.sendJson(HttpResponseStatus.OK, done);
        if (loadNanos > 0) {
            exchange.channel().eventLoop().schedule(reply, loadNanos, TimeUnit.NANOSECONDS);
        } else {
            reply.run();
        }
    }
}
