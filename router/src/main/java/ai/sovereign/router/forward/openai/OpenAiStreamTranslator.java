package ai.sovereign.router.forward.openai;

import java.util.function.Consumer;

import ai.sovereign.router.forward.SseFrames;
import ai.sovereign.router.forward.StreamTranslator;
import ai.sovereign.router.forward.UsageTally;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Passes an OpenAI SSE stream through event by event. Only the rare events that matter are parsed (usage, errors);
 * token events are recognised by cheap string checks, because this runs once per token of every stream.
 */
final class OpenAiStreamTranslator implements StreamTranslator {

    private final JsonMapper json;
    private final boolean dropUsageChunk;
    private final UsageTally usage = new UsageTally();
    private boolean emitted;
    private boolean finished;
    private boolean failed;

    OpenAiStreamTranslator(JsonMapper json, boolean dropUsageChunk) {
        this.json = json;
        this.dropUsageChunk = dropUsageChunk;
    }

    @Override
    public void onLine(String line, Consumer<byte[]> out) {
        if (!line.startsWith("data:")) {
            return; // blank separators, comments, event:/id: fields: the router frames its own events
        }
        String payload = line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
        if (payload.equals("[DONE]")) {
            finished = true;
            out.accept(SseFrames.DONE);
            return;
        }
        if (payload.startsWith("{\"error\"")) {
            String message = errorMessage(payload);
            if (!emitted) {
                throw new StreamFailure(message);
            }
            failed = true;
            out.accept(SseFrames.error("the inference server failed mid-stream: " + message, "upstream_error"));
            return;
        }
        if (payload.contains("\"usage\":{")) {
            JsonNode chunk = json.readTree(payload);
            JsonNode reported = chunk.path("usage");
            usage.report(reported.path("prompt_tokens").asInt(0), reported.path("completion_tokens").asInt(0));
            if (dropUsageChunk && chunk.path("choices").isEmpty()) {
                return; // asked for by the router, not the client
            }
        } else if (payload.contains("\"content\":\"") || payload.contains("\"text\":\"")) {
            usage.countChunk();
        }
        emitted = true;
        out.accept(SseFrames.data(payload));
    }

    private String errorMessage(String payload) {
        try {
            JsonNode error = json.readTree(payload).path("error");
            return error.isString() ? error.stringValue() : error.path("message").asString("unknown error");
        } catch (RuntimeException e) {
            return payload;
        }
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
