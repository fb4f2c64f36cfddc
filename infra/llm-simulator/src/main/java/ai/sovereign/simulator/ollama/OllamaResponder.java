package ai.sovereign.simulator.ollama;

import ai.sovereign.simulator.generation.Completion;
import ai.sovereign.simulator.generation.ToolCall;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.inference.InferenceResponder;
import ai.sovereign.simulator.inference.Timings;
import ai.sovereign.simulator.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's answer shapes for /api/chat ({@code message.content}) and /api/generate
 * ({@code response}): NDJSON lines with {@code done:false}, then a final line with
 * {@code done:true}, the done reason, token counts and durations in nanoseconds.
 */
final class OllamaResponder implements InferenceResponder {

    static final String NDJSON = "application/x-ndjson";

    private final boolean chat;
    private final boolean stream;
    private final String model;
    private final Completion completion;
    // Token lines are assembled from fixed parts: this runs once per token of every stream.
    private final String linePrefix;
    private final String lineMiddle;
    private final String lineSuffix;

    OllamaResponder(boolean chat, boolean stream, String model, Completion completion) {
        this.chat = chat;
        this.stream = stream;
        this.model = model;
        this.completion = completion;
        this.linePrefix = "{\"model\":" + Json.quote(model) + ",\"created_at\":\"";
        this.lineMiddle = chat ? "\",\"message\":{\"role\":\"assistant\",\"content\":" : "\",\"response\":";
        this.lineSuffix = chat ? "},\"done\":false}\n" : ",\"done\":false}\n";
    }

    @Override
    public boolean streaming() {
        return stream;
    }

    @Override
    public int steps() {
        return completion.steps();
    }

    @Override
    public String streamContentType() {
        return NDJSON;
    }

    @Override
    public ByteBuf step(ByteBufAllocator alloc, int index) {
        ToolCall call = completion.toolCall();
        if (call != null) {
            ObjectNode line = head();
            ObjectNode message =
                    line.putObject("message").put("role", "assistant").put("content", "");
            message.set("tool_calls", toolCalls(call));
            line.put("done", false);
            return ndjson(alloc, line);
        }
        String piece = completion.pieces().get(index);
        ByteBuf buf =
                alloc.buffer(linePrefix.length() + lineMiddle.length() + lineSuffix.length() + piece.length() + 40);
        ByteBufUtil.writeUtf8(buf, linePrefix);
        ByteBufUtil.writeUtf8(buf, Instant.now().toString());
        ByteBufUtil.writeUtf8(buf, lineMiddle);
        ByteBufUtil.writeUtf8(buf, Json.quote(piece));
        ByteBufUtil.writeUtf8(buf, lineSuffix);
        return buf;
    }

    @Override
    public ByteBuf streamEnd(ByteBufAllocator alloc, Timings timings) {
        return ndjson(alloc, finalObject("", false, timings));
    }

    @Override
    public JsonNode complete(Timings timings) {
        return finalObject(completion.text(), completion.toolCall() != null, timings);
    }

    @Override
    public void sendError(HttpExchange exchange, HttpResponseStatus status, String message) {
        OllamaErrors.send(exchange, status, message);
    }

    @Override
    public int promptTokens() {
        return completion.promptTokens();
    }

    @Override
    public int completionTokens() {
        return completion.completionTokens();
    }

    private ObjectNode finalObject(String text, boolean withToolCall, Timings t) {
        ObjectNode done = head();
        if (chat) {
            ObjectNode message =
                    done.putObject("message").put("role", "assistant").put("content", text);
            if (withToolCall) {
                message.set("tool_calls", toolCalls(completion.toolCall()));
            }
        } else {
            done.put("response", text);
        }
        done.put("done_reason", completion.finishReason().ollamaName());
        done.put("done", true);
        done.put("total_duration", t.totalNanos());
        done.put("load_duration", t.loadNanos());
        done.put("prompt_eval_count", completion.promptTokens());
        done.put("prompt_eval_duration", t.promptEvalNanos());
        done.put("eval_count", completion.completionTokens());
        done.put("eval_duration", t.evalNanos());
        return done;
    }

    private ObjectNode head() {
        return Json.object().put("model", model).put("created_at", Instant.now().toString());
    }

    private static JsonNode toolCalls(ToolCall call) {
        var calls = Json.array();
        ObjectNode function = calls.addObject().putObject("function");
        function.put("name", call.name());
        function.set("arguments", Json.parse(call.argumentsJson()));
        return calls;
    }

    static ByteBuf ndjson(ByteBufAllocator alloc, JsonNode line) {
        byte[] bytes = Json.bytes(line);
        return alloc.buffer(bytes.length + 1).writeBytes(bytes).writeByte('\n');
    }
}
