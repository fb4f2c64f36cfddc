package ai.sovereign.router.config;

/**
 * Retries before the first byte reaches the client, and the forwarding timeouts.
 *
 * @param maxAttempts          servers one request may be tried on (1 = no retry)
 * @param firstByteTimeoutMs   an attempt that has produced no byte for the client by then is abandoned and retried;
 *                             for a non-streamed request this bounds the whole answer
 * @param streamIdleTimeoutMs  a stream that has been silent this long after its first byte is ended with an error
 */
public record RetrySettings(int maxAttempts, long firstByteTimeoutMs, long streamIdleTimeoutMs) {

    public static RetrySettings defaults() {
        return new RetrySettings(3, 120_000, 120_000);
    }
}
