package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.KvCacheModel;
import ai.sovereign.simulator.generation.Completion;
import ai.sovereign.simulator.generation.CompletionPlanner;
import ai.sovereign.simulator.generation.CompletionRequest;
import ai.sovereign.simulator.generation.Prompt;
import ai.sovereign.simulator.generation.Prompts;
import ai.sovereign.simulator.generation.ToolChoice;
import ai.sovereign.simulator.generation.ToolSpec;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.inference.InferenceExchange;
import ai.sovereign.simulator.inference.InferenceResponder;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.KeepAlive;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import ai.sovereign.simulator.openai.OpenAiErrors.InvalidRequest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/** POST /v1/chat/completions and POST /v1/completions. */
public final class OpenAiGenerationApi {

    private final ModelRegistry models;
    private final SimulatorMetrics metrics;
    private final CompletionPlanner planner;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();

    private final KvCacheModel kvCache;

    public OpenAiGenerationApi(ModelRegistry models, SimulatorMetrics metrics, CompletionPlanner planner, Clock clock) {
        this(models, metrics, planner, clock, null);
    }

    /** @param kvCache the server's prefix cache and prefill model; null for none */
    public OpenAiGenerationApi(
            ModelRegistry models,
            SimulatorMetrics metrics,
            CompletionPlanner planner,
            Clock clock,
            KvCacheModel kvCache) {
        this.kvCache = kvCache;
        this.models = models;
        this.metrics = metrics;
        this.planner = planner;
        this.clock = clock;
    }

    public void chatCompletions(HttpExchange exchange) {
        OpenAiRequest request = OpenAiRequest.parse(exchange);
        if (request == null) {
            return;
        }
        try {
            JsonNode messages = request.body().path("messages");
            if (!messages.isArray() || messages.isEmpty()) {
                throw new InvalidRequest(
                        "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
            }
            List<ToolSpec> tools = ToolSpec.parseAll(request.body().path("tools"));
            ToolChoice choice = toolChoice(request.body().path("tool_choice"), tools);
            serve(exchange, request, Prompts.fromMessages(messages), tools, choice, true);
        } catch (InvalidRequest e) {
            OpenAiErrors.invalid(exchange, e);
        }
    }

    public void completions(HttpExchange exchange) {
        OpenAiRequest request = OpenAiRequest.parse(exchange);
        if (request == null) {
            return;
        }
        try {
            serve(
                    exchange,
                    request,
                    Prompt.of(prompt(request.body().path("prompt"))),
                    List.of(),
                    ToolChoice.NONE,
                    false);
        } catch (InvalidRequest e) {
            OpenAiErrors.invalid(exchange, e);
        }
    }

    private void serve(
            HttpExchange exchange,
            OpenAiRequest request,
            Prompt prompt,
            List<ToolSpec> tools,
            ToolChoice choice,
            boolean chat) {
        SimulatedModel model = models.find(request.model()).orElse(null);
        if (model == null) {
            OpenAiErrors.modelNotFound(exchange, request.model());
            return;
        }
        ModelBehaviour behaviour = model.behaviour();
        CompletionRequest completionRequest = new CompletionRequest(
                model.name(), prompt, request.seed(), request.maxTokens(), request.stop(), tools, choice);
        Completion completion = planner.plan(completionRequest, behaviour.outputTokens());
        long created = clock.instant().getEpochSecond();
        long n = ids.incrementAndGet();
        InferenceResponder responder = chat
                ? new ChatCompletionResponder(request, completion, "chatcmpl-sim" + Long.toHexString(n), created)
                : new TextCompletionResponder(request, completion, "cmpl-sim" + Long.toHexString(n), created);
        new InferenceExchange(
                        exchange,
                        model,
                        behaviour,
                        metrics.model(model.name()),
                        responder,
                        KeepAlive.DEFAULT,
                        kvCache,
                        prompt)
                .start();
    }

    private static ToolChoice toolChoice(JsonNode value, List<ToolSpec> tools) {
        if (value.isMissingNode() || value.isNull()) {
            return ToolChoice.AUTO;
        }
        if (value.isString()) {
            return switch (value.stringValue()) {
                case "none" -> ToolChoice.NONE;
                case "auto" -> ToolChoice.AUTO;
                case "required" -> ToolChoice.REQUIRED;
                default ->
                    throw new InvalidRequest(
                            "Invalid value for 'tool_choice': expected 'none', 'auto', 'required'"
                                    + " or a function object (got '" + value.stringValue() + "').",
                            "tool_choice",
                            "invalid_value");
            };
        }
        String name = value.path("function").path("name").asString("");
        if (name.isEmpty()) {
            throw new InvalidRequest(
                    "Invalid value for 'tool_choice': a function object needs function.name.",
                    "tool_choice",
                    "invalid_value");
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new InvalidRequest(
                    "Invalid value for 'tool_choice': function '" + name + "' is not in 'tools'.",
                    "tool_choice",
                    "invalid_value");
        }
        return new ToolChoice.Named(name);
    }

    // The legacy endpoint takes a string, a one-element array of strings, or token ids.
    private static String prompt(JsonNode prompt) {
        if (prompt.isString()) {
            return prompt.stringValue();
        }
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isString()) {
            return prompt.get(0).stringValue();
        }
        if (prompt.isArray() && prompt.size() > 0 && prompt.get(0).isNumber()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode token : prompt) {
                text.append(token.asLong(0)).append(' ');
            }
            return text.toString().strip();
        }
        if (prompt.isMissingNode() || prompt.isNull()) {
            throw new InvalidRequest("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
        }
        throw new InvalidRequest(
                "the simulator supports one prompt per request (a string, a one-string array or" + " token ids)",
                "prompt",
                "unsupported_value");
    }
}
