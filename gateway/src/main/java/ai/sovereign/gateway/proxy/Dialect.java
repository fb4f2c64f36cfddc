package ai.sovereign.gateway.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MutableHttpResponse;

/**
 * How the client's API dialect shapes the router's OpenAI answers: whole responses, streams line by line, and
 * errors. The OpenAI dialect passes them through; the Ollama dialect translates.
 */
public interface Dialect {

    /** The media type of a streamed response to the client. */
    String streamContentType();

    /** A whole successful upstream response, translated for the client; records its usage in {@code tally}. */
    byte[] translateComplete(byte[] upstreamBody, UsageTally tally);

    /** An upstream error, translated for the client. */
    MutableHttpResponse<?> translateError(int status, byte[] upstreamBody, @Nullable String retryAfter);

    /** A fresh translator for one streamed response. */
    StreamTranslator newStream(UsageTally tally, boolean clientWantsUsage);

    /** Translates one streamed response, one upstream SSE line at a time. */
    interface StreamTranslator {

        /** Bytes to send the client for {@code line} (without its line end); empty to send nothing. */
        byte[] onLine(String line);

        /** Bytes to send when the upstream stream ended normally. */
        byte[] onEnd();

        /** Bytes to send when the upstream stream broke off: the dialect's in-stream error. */
        byte[] onFailure(String message);
    }
}
