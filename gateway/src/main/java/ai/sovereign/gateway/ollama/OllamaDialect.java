package ai.sovereign.gateway.ollama;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.proxy.Dialect;
import ai.sovereign.gateway.proxy.UsageTally;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router's OpenAI answers in the Ollama wire format: chat and generate objects (streamed as NDJSON, one object
 * per line, the last with {@code done: true}), {@code prompt_eval_count}/{@code eval_count} from {@code usage},
 * durations in nanoseconds measured at the gateway, tool-call arguments as objects, errors as {@code {"error": "..."}}.
 */
public final class OllamaDialect implements Dialect {

    /** Which Ollama endpoint the answer is for. */
    public enum Kind {
        CHAT,
        GENERATE,
        EMBED,
        EMBEDDINGS
    }

    private static final byte[] NOTHING = new byte[0];

    private final Kind kind;
    private final String model;
    private final long startNanos;

    public OllamaDialect(Kind kind, String model, long startNanos) {
        this.kind = kind;
        this.model = model;
        this.startNanos = startNanos;
    }

    @Override
    public String streamContentType() {
        return "application/x-ndjson";
    }

    @Override
    public byte[] translateComplete(byte[] upstreamBody, UsageTally tally) {
        JsonNode answer;
        try {
            answer = JsonBodies.MAPPER.readTree(upstreamBody);
        } catch (JacksonException e) {
            answer = JsonBodies.MAPPER.createObjectNode();
        }
        JsonNode usage = answer.path("usage");
        if (usage.isObject()) {
            long prompt = usage.path("prompt_tokens").asLong(0);
            tally.report(
                    prompt,
                    usage.has("completion_tokens")
                            ? usage.path("completion_tokens").asLong(0)
                            : Math.max(0, usage.path("total_tokens").asLong(0) - prompt));
        }
        long total = System.nanoTime() - startNanos;
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        switch (kind) {
            case EMBED -> {
                out.put("model", model);
                ArrayNode embeddings = out.putArray("embeddings");
                answer.path("data").forEach(item -> embeddings.add(item.path("embedding")));
                out.put("total_duration", total).put("load_duration", 0).put("prompt_eval_count", tally.promptTokens());
            }
            case EMBEDDINGS -> out.set("embedding", answer.path("data").path(0).path("embedding"));
            case CHAT, GENERATE -> {
                JsonNode choice = answer.path("choices").path(0);
                JsonNode message = choice.path("message");
                String content = message.path("content").isString()
                        ? message.path("content").stringValue()
                        : "";
                start(out);
                if (kind == Kind.CHAT) {
                    ObjectNode m =
                            out.putObject("message").put("role", "assistant").put("content", content);
                    if (message.path("tool_calls").isArray()
                            && !message.path("tool_calls").isEmpty()) {
                        ArrayNode calls = m.putArray("tool_calls");
                        message.path("tool_calls")
                                .forEach(call -> calls.add(toolCall(
                                        call.path("function").path("name").asString(""),
                                        call.path("function").path("arguments").asString(""))));
                    }
                } else {
                    out.put("response", content);
                }
                finish(out, doneReason(choice.path("finish_reason")), tally, total, 0);
            }
        }
        return JsonBodies.write(out);
    }

    @Override
    public MutableHttpResponse<?> translateError(int status, byte[] upstreamBody, @Nullable String retryAfter) {
        String message = "router answered " + status;
        try {
            JsonNode error = JsonBodies.MAPPER.readTree(upstreamBody).path("error");
            if (error.path("message").isString()) {
                message = error.path("message").stringValue();
            } else if (error.isString()) {
                message = error.stringValue();
            }
        } catch (JacksonException e) {
            // keep the generic message
        }
        MutableHttpResponse<String> response = HttpResponse.<String>status(HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(JsonBodies.MAPPER.writeValueAsString(
                        JsonBodies.MAPPER.createObjectNode().put("error", message)));
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return response;
    }

    @Override
    public StreamTranslator newStream(UsageTally tally, boolean clientWantsUsage) {
        return new StreamTranslator() {
            private final Map<Integer, String[]> toolCalls = new TreeMap<>();
            private String doneReason = "stop";
            private boolean done;

            @Override
            public byte[] onLine(String line) {
                if (!line.startsWith("data:") || done) {
                    return NOTHING;
                }
                String payload = line.substring(5).trim();
                if (payload.equals("[DONE]")) {
                    return onEnd();
                }
                JsonNode chunk;
                try {
                    chunk = JsonBodies.MAPPER.readTree(payload);
                } catch (JacksonException e) {
                    return NOTHING;
                }
                if (chunk.path("error").isObject()) {
                    return onFailure(chunk.path("error").path("message").asString("upstream error"));
                }
                JsonNode usage = chunk.path("usage");
                if (usage.isObject()) {
                    tally.report(
                            usage.path("prompt_tokens").asLong(0),
                            usage.path("completion_tokens").asLong(0));
                }
                JsonNode choice = chunk.path("choices").path(0);
                if (choice.isMissingNode()) {
                    return NOTHING;
                }
                if (choice.path("finish_reason").isString()) {
                    doneReason = doneReason(choice.path("finish_reason"));
                }
                JsonNode delta = choice.path("delta");
                for (JsonNode call : delta.path("tool_calls")) {
                    String[] parts =
                            toolCalls.computeIfAbsent(call.path("index").asInt(0), i -> new String[] {"", ""});
                    parts[0] += call.path("function").path("name").asString("");
                    parts[1] += call.path("function").path("arguments").asString("");
                }
                String content =
                        delta.path("content").isString() ? delta.path("content").stringValue() : "";
                if (content.isEmpty()) {
                    return NOTHING;
                }
                tally.countChunk(System.nanoTime());
                ObjectNode out = start(JsonBodies.MAPPER.createObjectNode());
                if (kind == Kind.CHAT) {
                    out.putObject("message").put("role", "assistant").put("content", content);
                } else {
                    out.put("response", content);
                }
                out.put("done", false);
                return line(out);
            }

            @Override
            public byte[] onEnd() {
                if (done) {
                    return NOTHING;
                }
                done = true;
                StringBuilder lines = new StringBuilder();
                if (!toolCalls.isEmpty() && kind == Kind.CHAT) {
                    ObjectNode calls = start(JsonBodies.MAPPER.createObjectNode());
                    ArrayNode list = calls.putObject("message")
                            .put("role", "assistant")
                            .put("content", "")
                            .putArray("tool_calls");
                    toolCalls.values().forEach(parts -> list.add(toolCall(parts[0], parts[1])));
                    calls.put("done", false);
                    lines.append(new String(line(calls), StandardCharsets.UTF_8));
                }
                ObjectNode last = start(JsonBodies.MAPPER.createObjectNode());
                if (kind == Kind.CHAT) {
                    last.putObject("message").put("role", "assistant").put("content", "");
                } else {
                    last.put("response", "");
                }
                long total = System.nanoTime() - startNanos;
                long ttft = tally.firstTokenNanos() == 0 ? 0 : tally.firstTokenNanos() - startNanos;
                finish(last, doneReason, tally, total, ttft);
                lines.append(new String(line(last), StandardCharsets.UTF_8));
                return lines.toString().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] onFailure(String message) {
                done = true;
                return line(JsonBodies.MAPPER.createObjectNode().put("error", message));
            }
        };
    }

    private ObjectNode start(ObjectNode node) {
        return node.put("model", model).put("created_at", Instant.now().toString());
    }

    private static void finish(
            ObjectNode node, String doneReason, UsageTally tally, long totalNanos, long promptNanos) {
        node.put("done_reason", doneReason);
        node.put("done", true);
        node.put("total_duration", totalNanos);
        node.put("load_duration", 0);
        node.put("prompt_eval_count", tally.promptTokens());
        node.put("prompt_eval_duration", promptNanos);
        node.put("eval_count", tally.completionTokens());
        node.put("eval_duration", Math.max(0, totalNanos - promptNanos));
    }

    static String doneReason(JsonNode finishReason) {
        String reason = finishReason.isString() ? finishReason.stringValue() : "stop";
        return reason.equals("length") ? "length" : "stop";
    }

    /** An Ollama tool call: arguments as a JSON object (the OpenAI string parsed), or the raw string if it is not JSON. */
    static ObjectNode toolCall(String name, String arguments) {
        ObjectNode call = JsonBodies.MAPPER.createObjectNode();
        ObjectNode function = call.putObject("function").put("name", name);
        try {
            JsonNode parsed = JsonBodies.MAPPER.readTree(arguments.isEmpty() ? "{}" : arguments);
            function.set("arguments", parsed);
        } catch (JacksonException e) {
            function.put("arguments", arguments);
        }
        return call;
    }

    private static byte[] line(ObjectNode node) {
        return (JsonBodies.MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
