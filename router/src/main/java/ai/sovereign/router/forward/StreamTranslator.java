package ai.sovereign.router.forward;

import java.util.function.Consumer;

/**
 * Turns a server's streamed answer, line by line, into the OpenAI SSE events the client gets. One instance per
 * stream; calls come one at a time.
 */
public interface StreamTranslator {

    /**
     * Handles one line of the server's stream, emitting zero or more events.
     *
     * @throws StreamFailure when the server reported an error before anything was emitted (the attempt is retried)
     */
    void onLine(String line, Consumer<byte[]> out);

    /**
     * The same for a line as bytes ({@code line[0, length)}, valid only during the call): translators that can pass
     * the common events on without decoding them override this; by default the line is decoded.
     */
    default void onLine(byte[] line, int length, Consumer<byte[]> out) {
        onLine(new String(line, 0, length, java.nio.charset.StandardCharsets.UTF_8), out);
    }

    /** Whether the server's end-of-answer marker was seen ({@code [DONE]}, {@code "done": true}). */
    boolean finished();

    /** Whether the server reported an error inside the stream after the first event. */
    boolean failed();

    UsageTally usage();

    /** A server's in-stream error before any output: the attempt fails and may be retried. */
    final class StreamFailure extends RuntimeException {
        public StreamFailure(String message) {
            super(message, null, false, false);
        }
    }
}
