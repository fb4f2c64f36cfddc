package ai.sovereign.router.forward.openai;

import ai.sovereign.router.forward.StreamTranslator;
import ai.sovereign.router.forward.UsageTally;
import ai.sovereign.runtime.fastlane.SseFrames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
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
            usage.report(
                    reported.path("prompt_tokens").asInt(0),
                    reported.path("completion_tokens").asInt(0));
            if (dropUsageChunk && chunk.path("choices").isEmpty()) {
                return; // asked for by the router, not the client
            }
        } else if (payload.contains("\"content\":\"") || payload.contains("\"text\":\"")) {
            usage.countChunk();
        }
        emitted = true;
        out.accept(SseFrames.data(payload));
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ERROR = "{\"error\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] USAGE = "\"usage\":{".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TEXT = "\"text\":\"".getBytes(StandardCharsets.UTF_8);

    /**
     * Token events ({@code data: {...}} without an error or usage) pass on as the server's bytes plus the blank line
     * that ends an event, without decoding; everything else takes the decoded path above.
     */
    @Override
    public void onLine(byte[] line, int length, Consumer<byte[]> out) {
        if (length == 0) {
            return; // the blank line between events
        }
        if (length > DATA.length
                && line[DATA.length] == '{'
                && startsWith(line, 0, DATA)
                && !startsWith(line, DATA.length, ERROR)
                && indexOf(line, length, USAGE) < 0) {
            if (indexOf(line, length, CONTENT) >= 0 || indexOf(line, length, TEXT) >= 0) {
                usage.countChunk();
            }
            byte[] frame = Arrays.copyOf(line, length + 2);
            frame[length] = '\n';
            frame[length + 1] = '\n';
            emitted = true;
            out.accept(frame);
            return;
        }
        onLine(new String(line, 0, length, StandardCharsets.UTF_8), out);
    }

    private static boolean startsWith(byte[] line, int from, byte[] prefix) {
        if (line.length < from + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] line, int length, byte[] needle) {
        byte first = needle[0];
        for (int i = 0, last = length - needle.length; i <= last; i++) {
            if (line[i] == first && startsWith(line, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private String errorMessage(String payload) {
        try {
            JsonNode error = json.readTree(payload).path("error");
            return error.isString()
                    ? error.stringValue()
                    : error.path("message").asString("unknown error");
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
