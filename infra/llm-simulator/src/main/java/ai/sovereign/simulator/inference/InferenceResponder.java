package ai.sovereign.simulator.inference;

import ai.sovereign.simulator.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import tools.jackson.databind.JsonNode;

/**
 * The dialect-specific half of an inference request: what the bytes look like. The
 * {@link InferenceExchange} decides when they are sent; each API endpoint supplies one of these.
 */
public interface InferenceResponder {

    /** Whether the answer is streamed; otherwise one complete JSON response is sent. */
    boolean streaming();

    /** Timed steps of the answer: one per token, or one for a tool call, or 0 for embeddings. */
    int steps();

    /** Content type of the stream (NDJSON or SSE). */
    String streamContentType();

    /** The bytes of step {@code index}, possibly several events (e.g. a role chunk first). */
    ByteBuf step(ByteBufAllocator alloc, int index);

    /** The bytes after the last step: the final done line, finish and usage chunks, [DONE]. */
    ByteBuf streamEnd(ByteBufAllocator alloc, Timings timings);

    /** The complete response of a non-streamed answer. */
    JsonNode complete(Timings timings);

    /** Sends an error in the dialect's format (only before anything else was sent). */
    void sendError(HttpExchange exchange, HttpResponseStatus status, String message);

    int promptTokens();

    int completionTokens();
}
