package ai.sovereign.simulator.inference;

import ai.sovereign.simulator.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A responder for answers that are never streamed (embeddings): one JSON response after the
 * time to first token, with every failure mode still applying.
 */
public abstract class OneShotResponder implements InferenceResponder {

    private final ErrorFormat errors;
    private final int promptTokens;

    protected OneShotResponder(ErrorFormat errors, int promptTokens) {
        this.errors = errors;
        this.promptTokens = promptTokens;
    }

    @Override
    public final boolean streaming() {
        return false;
    }

    @Override
    public final int steps() {
        return 0;
    }

    @Override
    public final String streamContentType() {
        throw new UnsupportedOperationException("one-shot answers are not streamed");
    }

    @Override
    public final ByteBuf step(ByteBufAllocator alloc, int index) {
        throw new UnsupportedOperationException("one-shot answers are not streamed");
    }

    @Override
    public final ByteBuf streamEnd(ByteBufAllocator alloc, Timings timings) {
        throw new UnsupportedOperationException("one-shot answers are not streamed");
    }

    @Override
    public final void sendError(HttpExchange exchange, HttpResponseStatus status, String message) {
        errors.send(exchange, status, message);
    }

    @Override
    public final int promptTokens() {
        return promptTokens;
    }

    @Override
    public final int completionTokens() {
        return 0;
    }
}
