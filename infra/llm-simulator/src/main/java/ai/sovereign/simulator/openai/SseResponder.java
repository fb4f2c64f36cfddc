package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.generation.Completion;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.inference.InferenceResponder;
import ai.sovereign.simulator.inference.Timings;
import ai.sovereign.simulator.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What chat and legacy completions share on the wire: SSE events {@code data: {json}} each
 * followed by a blank line; chunk objects carrying id, created, model and system_fingerprint;
 * after the last token a chunk with the finish reason, then (with
 * {@code stream_options.include_usage}) a chunk with empty choices and the usage, then
 * {@code data: [DONE]}. With include_usage every earlier chunk carries {@code "usage":null}, as
 * OpenAI's do.
 */
abstract class SseResponder implements InferenceResponder {

    static final String SYSTEM_FINGERPRINT = "fp_llmsim";
    private static final String DONE = "data: [DONE]\n\n";

    protected final OpenAiRequest request;
    protected final Completion completion;
    protected final String id;
    protected final long created;
    // Token events are assembled from fixed parts: this runs once per token of every stream.
    private final String tokenPrefix;
    private final String tokenSuffix;

    /**
     * @param tokenPrefix the event text before the JSON string of a token
     * @param tokenSuffix the event text after it, up to the end of the choice
     */
    SseResponder(
            OpenAiRequest request,
            Completion completion,
            String id,
            long created,
            String tokenPrefix,
            String tokenSuffix) {
        this.request = request;
        this.completion = completion;
        this.id = id;
        this.created = created;
        this.tokenPrefix = "data: " + chunkHead() + tokenPrefix;
        this.tokenSuffix = tokenSuffix + (request.includeUsage() ? "],\"usage\":null}\n\n" : "]}\n\n");
    }

    /** The chunk object name, e.g. "chat.completion.chunk". */
    abstract String chunkObject();

    /** The final choice of a stream: no new text, only the finish reason. */
    abstract ObjectNode finishChoice();

    /** Events that must precede whatever comes first (the role chunk of chat). */
    void writeOpening(ByteBuf buf) {}

    @Override
    public final boolean streaming() {
        return request.stream();
    }

    @Override
    public int steps() {
        return completion.steps();
    }

    @Override
    public final String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    public ByteBuf step(ByteBufAllocator alloc, int index) {
        String piece = completion.pieces().get(index);
        ByteBuf buf = alloc.buffer(tokenPrefix.length() + tokenSuffix.length() + piece.length() + 8);
        if (index == 0) {
            writeOpening(buf);
        }
        ByteBufUtil.writeUtf8(buf, tokenPrefix);
        ByteBufUtil.writeUtf8(buf, Json.quote(piece));
        ByteBufUtil.writeUtf8(buf, tokenSuffix);
        return buf;
    }

    @Override
    public final ByteBuf streamEnd(ByteBufAllocator alloc, Timings timings) {
        ByteBuf buf = alloc.buffer(512);
        if (steps() == 0) {
            writeOpening(buf);
        }
        ObjectNode finish = chunk();
        finish.putArray("choices").add(finishChoice());
        if (request.includeUsage()) {
            finish.putNull("usage");
        }
        writeEvent(buf, finish);
        if (request.includeUsage()) {
            ObjectNode usage = chunk();
            usage.putArray("choices");
            usage.set("usage", usage());
            writeEvent(buf, usage);
        }
        ByteBufUtil.writeUtf8(buf, DONE);
        return buf;
    }

    @Override
    public final void sendError(HttpExchange exchange, HttpResponseStatus status, String message) {
        OpenAiErrors.serverError(exchange, status, message);
    }

    @Override
    public final int promptTokens() {
        return completion.promptTokens();
    }

    @Override
    public final int completionTokens() {
        return completion.completionTokens();
    }

    /** A chunk object with its identifying fields and no choices yet. */
    final ObjectNode chunk() {
        return Json.object()
                .put("id", id)
                .put("object", chunkObject())
                .put("created", created)
                .put("model", request.model())
                .put("system_fingerprint", SYSTEM_FINGERPRINT);
    }

    /** The head of a non-streamed response object. */
    final ObjectNode response(String object) {
        return Json.object()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", request.model())
                .put("system_fingerprint", SYSTEM_FINGERPRINT);
    }

    final ObjectNode usage() {
        return Json.object()
                .put("prompt_tokens", completion.promptTokens())
                .put("completion_tokens", completion.completionTokens())
                .put("total_tokens", completion.promptTokens() + completion.completionTokens());
    }

    /** Writes one chunk as an SSE event, adding {@code "usage":null} where include_usage asks for it. */
    final void writeChunkEvent(ByteBuf buf, ObjectNode chunk) {
        if (request.includeUsage()) {
            chunk.putNull("usage");
        }
        writeEvent(buf, chunk);
    }

    static void writeEvent(ByteBuf buf, JsonNode event) {
        ByteBufUtil.writeUtf8(buf, "data: ");
        buf.writeBytes(Json.bytes(event));
        ByteBufUtil.writeUtf8(buf, "\n\n");
    }

    // The chunk head as JSON text without the closing brace, so token events can continue it.
    private String chunkHead() {
        String json = Json.text(chunk());
        return json.substring(0, json.length() - 1) + ",\"choices\":[";
    }
}
