package ai.sovereign.router.forward.ollama;

import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.StreamTranslator;
import ai.sovereign.router.forward.UsageTally;
import ai.sovereign.runtime.fastlane.SseFrames;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's NDJSON stream (one object per line, the last with {@code done: true} and the token counts) as OpenAI
 * SSE chunks: the role first, one delta per line, a chunk with the finish reason, the usage chunk when the client
 * asked for it, then {@code [DONE]}.
 */
final class OllamaStreamTranslator implements StreamTranslator {

    private final JsonMapper json;
    private final InferenceRequest request;
    private final String id;
    private final UsageTally usage = new UsageTally();
    private final boolean chat;
    private boolean emitted;
    private boolean finished;
    private boolean failed;

    OllamaStreamTranslator(JsonMapper json, InferenceRequest request, String requestId) {
        this.json = json;
        this.request = request;
        this.chat = request.endpoint() == Endpoint.CHAT;
        this.id = (chat ? "chatcmpl-" : "cmpl-") + requestId;
    }

    @Override
    public void onLine(String line, Consumer<byte[]> out) {
        if (line.isBlank() || finished) {
            return;
        }
        JsonNode chunk = json.readTree(line);
        if (chunk.has("error")) {
            String message = chunk.path("error").asString("unknown error");
            if (!emitted) {
                throw new StreamFailure(message);
            }
            failed = true;
            out.accept(SseFrames.error("the inference server failed mid-stream: " + message, "upstream_error"));
            return;
        }
        long created = OllamaAdapter.created(chunk);
        if (chunk.path("done").asBoolean(false)) {
            int prompt = chunk.path("prompt_eval_count").asInt(0);
            int completion = chunk.path("eval_count").asInt(0);
            usage.report(prompt, completion);
            JsonNode calls = chunk.path("message").path("tool_calls");
            String pending = chat
                    ? chunk.path("message").path("content").asString("")
                    : chunk.path("response").asString("");
            if (!pending.isEmpty() || (calls.isArray() && !calls.isEmpty())) {
                emitDelta(out, created, pending, calls);
            }
            ObjectNode last = base(created);
            ObjectNode choice = last.putArray("choices").addObject().put("index", 0);
            if (chat) {
                choice.putObject("delta");
            } else {
                choice.put("text", "");
            }
            choice.put(
                    "finish_reason",
                    calls.isArray() && !calls.isEmpty() ? "tool_calls" : OllamaAdapter.finishReason(chunk));
            send(out, last);
            if (request.includeUsage()) {
                ObjectNode usageChunk = base(created);
                usageChunk.putArray("choices");
                usageChunk
                        .putObject("usage")
                        .put("prompt_tokens", prompt)
                        .put("completion_tokens", completion)
                        .put("total_tokens", prompt + completion);
                send(out, usageChunk);
            }
            finished = true;
            out.accept(SseFrames.DONE);
            return;
        }
        String content = chat
                ? chunk.path("message").path("content").asString("")
                : chunk.path("response").asString("");
        JsonNode calls = chunk.path("message").path("tool_calls");
        if (content.isEmpty() && !(calls.isArray() && !calls.isEmpty())) {
            return;
        }
        emitDelta(out, created, content, calls);
    }

    private void emitDelta(Consumer<byte[]> out, long created, String content, JsonNode calls) {
        if (chat && !emitted) {
            ObjectNode role = base(created);
            role.putArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("role", "assistant")
                    .put("content", "");
            send(out, role);
        }
        ObjectNode chunk = base(created);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (calls.isArray() && !calls.isEmpty()) {
                delta.set("tool_calls", new OllamaAdapter(json).toolCalls(calls, id));
            } else {
                delta.put("content", content);
            }
        } else {
            choice.put("text", content);
        }
        choice.putNull("finish_reason");
        usage.countChunk();
        send(out, chunk);
    }

    private ObjectNode base(long created) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id)
                .put("object", chat ? "chat.completion.chunk" : "text_completion")
                .put("created", created)
                .put("model", request.model());
        return chunk;
    }

    private void send(Consumer<byte[]> out, ObjectNode chunk) {
        emitted = true;
        out.accept(SseFrames.data(json.writeValueAsString(chunk)));
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public boolean failed() {
        return failed;
    }

    @Override
    public UsageTally usage() {
        return usage;
    }
}
