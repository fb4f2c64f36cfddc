package ai.sovereign.router.forward.ollama;

import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.forward.BackendAdapter;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.StreamTranslator;
import ai.sovereign.router.forward.UpstreamErrors;
import ai.sovereign.router.forward.UpstreamRequest;
import ai.sovereign.router.forward.UsageTally;
import ai.sovereign.runtime.errors.ApiException;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's native API (https://github.com/ollama/ollama/blob/main/docs/api.md) behind OpenAI-dialect clients:
 * chat → {@code /api/chat}, completions → {@code /api/generate}, embeddings → {@code /api/embed}; sampling
 * parameters move into {@code options}; answers (whole or NDJSON streams) come back as OpenAI objects / SSE events.
 */
@Singleton
public class OllamaAdapter implements BackendAdapter {

    private final JsonMapper json;

    public OllamaAdapter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public UpstreamRequest toUpstream(ServerSpec server, InferenceRequest request, String requestId, Duration timeout) {
        ObjectNode in = request.body();
        ObjectNode out = json.createObjectNode();
        out.put("model", request.model());
        String path;
        switch (request.endpoint()) {
            case CHAT -> {
                path = "/api/chat";
                ArrayNode messages = out.putArray("messages");
                for (JsonNode message : in.path("messages")) {
                    ObjectNode copy = messages.addObject();
                    copy.put("role", message.path("role").asString("user"));
                    copy.put("content", text(message.get("content")));
                    if (message.has("tool_calls")) {
                        copy.set("tool_calls", message.get("tool_calls"));
                    }
                }
                if (in.has("tools")) {
                    out.set("tools", in.get("tools"));
                }
                out.put("stream", request.stream());
            }
            case COMPLETIONS -> {
                path = "/api/generate";
                JsonNode prompt = in.get("prompt");
                if (prompt.isArray()) {
                    if (prompt.size() != 1 || !prompt.get(0).isString()) {
                        throw ApiException.badRequest(
                                "prompt must be a string or a list of one string for model '" + request.model()
                                        + "' (an Ollama server)",
                                "prompt");
                    }
                    prompt = prompt.get(0);
                }
                out.put("prompt", prompt.asString());
                out.put("stream", request.stream());
            }
            case EMBEDDINGS -> {
                path = "/api/embed";
                out.set("input", in.get("input"));
                if (in.has("dimensions")) {
                    out.set("dimensions", in.get("dimensions"));
                }
            }
            default -> throw new IllegalStateException(request.endpoint().name());
        }
        ObjectNode options = json.createObjectNode();
        copy(in, "temperature", options, "temperature");
        copy(in, "top_p", options, "top_p");
        copy(in, "seed", options, "seed");
        copy(in, "stop", options, "stop");
        copy(in, "presence_penalty", options, "presence_penalty");
        copy(in, "frequency_penalty", options, "frequency_penalty");
        copy(in, "max_tokens", options, "num_predict");
        copy(in, "max_completion_tokens", options, "num_predict");
        if (!options.isEmpty() && request.endpoint() != Endpoint.EMBEDDINGS) {
            out.set("options", options);
        }
        return UpstreamRequest.post(
                URI.create(server.url() + path),
                Map.of("Content-Type", "application/json", "X-Request-Id", requestId),
                json.writeValueAsBytes(out),
                timeout);
    }

    @Override
    public byte[] translateAnswer(InferenceRequest request, byte[] body, String requestId, UsageTally usage) {
        JsonNode answer = json.readTree(body);
        if (!answer.isObject()) {
            throw new IllegalStateException("the server's answer is not a JSON object");
        }
        int prompt = answer.path("prompt_eval_count").asInt(0);
        int completion = answer.path("eval_count").asInt(0);
        usage.report(prompt, completion);
        ObjectNode out = json.createObjectNode();
        long created = created(answer);
        switch (request.endpoint()) {
            case CHAT -> {
                out.put("id", "chatcmpl-" + requestId)
                        .put("object", "chat.completion")
                        .put("created", created)
                        .put("model", request.model());
                ObjectNode choice = out.putArray("choices").addObject();
                choice.put("index", 0);
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant")
                        .put("content", answer.path("message").path("content").asString(""));
                JsonNode calls = answer.path("message").path("tool_calls");
                boolean tools = calls.isArray() && !calls.isEmpty();
                if (tools) {
                    message.set("tool_calls", toolCalls(calls, requestId));
                }
                choice.put("finish_reason", tools ? "tool_calls" : finishReason(answer));
                usage(out, prompt, completion);
            }
            case COMPLETIONS -> {
                out.put("id", "cmpl-" + requestId)
                        .put("object", "text_completion")
                        .put("created", created)
                        .put("model", request.model());
                ObjectNode choice = out.putArray("choices").addObject();
                choice.put("index", 0)
                        .put("text", answer.path("response").asString(""))
                        .putNull("logprobs");
                choice.put("finish_reason", finishReason(answer));
                usage(out, prompt, completion);
            }
            case EMBEDDINGS -> {
                out.put("object", "list");
                ArrayNode data = out.putArray("data");
                int index = 0;
                for (JsonNode vector : answer.path("embeddings")) {
                    data.addObject()
                            .put("object", "embedding")
                            .put("index", index++)
                            .set("embedding", vector);
                }
                out.put("model", request.model());
                out.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
            }
            default -> throw new IllegalStateException(request.endpoint().name());
        }
        return json.writeValueAsBytes(out);
    }

    @Override
    public StreamTranslator streamTranslator(InferenceRequest request, String requestId) {
        return new OllamaStreamTranslator(json, request, requestId);
    }

    @Override
    public String errorMessage(byte[] body) {
        return UpstreamErrors.message(json, body);
    }

    static String finishReason(JsonNode answer) {
        String reason = answer.path("done_reason").asString("stop");
        return "length".equals(reason) ? "length" : "stop";
    }

    static long created(JsonNode answer) {
        try {
            return Instant.parse(answer.path("created_at").asString("")).getEpochSecond();
        } catch (RuntimeException e) {
            return Instant.now().getEpochSecond();
        }
    }

    /** Ollama gives arguments as an object; OpenAI clients expect a JSON string and an id. */
    ArrayNode toolCalls(JsonNode calls, String requestId) {
        ArrayNode out = json.createArrayNode();
        int index = 0;
        for (JsonNode call : calls) {
            ObjectNode c = out.addObject();
            c.put("id", "call_" + requestId + "_" + index).put("type", "function");
            c.put("index", index++);
            ObjectNode function = c.putObject("function");
            function.put("name", call.path("function").path("name").asString(""));
            JsonNode arguments = call.path("function").path("arguments");
            function.put("arguments", arguments.isString() ? arguments.asString() : json.writeValueAsString(arguments));
        }
        return out;
    }

    private static void usage(ObjectNode out, int prompt, int completion) {
        out.putObject("usage")
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    /** OpenAI message content may be a list of parts; Ollama takes the text. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isString()) {
                text.append(part.path("text").asString());
            }
        }
        return text.toString();
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }
}
