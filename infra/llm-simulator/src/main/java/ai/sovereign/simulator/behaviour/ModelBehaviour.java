package ai.sovereign.simulator.behaviour;

import java.time.Duration;
import java.util.Objects;

/**
 * How one simulated model behaves. A request takes a snapshot when it arrives, so a change made at
 * run time affects the next request, never one already in flight.
 *
 * @param timeToFirstToken    from the response headers to the first token
 * @param interTokenLatency   between consecutive tokens
 * @param outputTokens        answer length when the client sets no lower limit
 * @param maxConcurrency      requests served at once; more wait in a FIFO queue (0 = unlimited)
 * @param errorRate           share of requests answered with HTTP 500, drawn from the seeded RNG
 * @param unavailable         every request is answered with HTTP 503 at once
 * @param resetAfterTokens    the connection is reset (TCP RST) after this many streamed tokens;
 *                            0 resets before any byte is sent, negative never resets
 * @param hang                response headers are never sent; the connection is held until the
 *                            client gives up
 * @param slowStart           extra delay before the response starts (before the headers)
 * @param loadTime            extra delay when the model is not loaded, reported as load_duration
 * @param embeddingDimensions embedding vector length; 0 picks the length from the model's name
 */
public record ModelBehaviour(
        Duration timeToFirstToken,
        Duration interTokenLatency,
        int outputTokens,
        int maxConcurrency,
        double errorRate,
        boolean unavailable,
        int resetAfterTokens,
        boolean hang,
        Duration slowStart,
        Duration loadTime,
        int embeddingDimensions) {

    public static final int NEVER_RESET = -1;

    public ModelBehaviour {
        requireNonNegative("timeToFirstToken", timeToFirstToken);
        requireNonNegative("interTokenLatency", interTokenLatency);
        requireNonNegative("slowStart", slowStart);
        requireNonNegative("loadTime", loadTime);
        if (outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens must be ≥ 0 (got " + outputTokens + ")");
        }
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException(
                    "maxConcurrency must be ≥ 0, 0 meaning unlimited (got " + maxConcurrency + ")");
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be between 0 and 1 (got " + errorRate + ")");
        }
        if (embeddingDimensions < 0) {
            throw new IllegalArgumentException(
                    "embeddingDimensions must be ≥ 0, 0 meaning by model name (got " + embeddingDimensions + ")");
        }
        resetAfterTokens = Math.max(resetAfterTokens, NEVER_RESET);
    }

    /** Quick but visibly streaming: 50 ms to the first token, 10 ms per token, 40 tokens. */
    public static ModelBehaviour defaults() {
        return new ModelBehaviour(
                Duration.ofMillis(50),
                Duration.ofMillis(10),
                40,
                0,
                0.0,
                false,
                NEVER_RESET,
                false,
                Duration.ZERO,
                Duration.ZERO,
                0);
    }

    /** No delays at all, for tests that only check wire formats. */
    public static ModelBehaviour instant() {
        return defaults().withTimeToFirstToken(Duration.ZERO).withInterTokenLatency(Duration.ZERO);
    }

    public ModelBehaviour withTimeToFirstToken(Duration value) {
        return new ModelBehaviour(
                value,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withInterTokenLatency(Duration value) {
        return new ModelBehaviour(
                timeToFirstToken,
                value,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withOutputTokens(int value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                value,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withMaxConcurrency(int value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                value,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withErrorRate(double value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                value,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withUnavailable(boolean value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                value,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withResetAfterTokens(int value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                value,
                hang,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withHang(boolean value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                value,
                slowStart,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withSlowStart(Duration value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                value,
                loadTime,
                embeddingDimensions);
    }

    public ModelBehaviour withLoadTime(Duration value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                value,
                embeddingDimensions);
    }

    public ModelBehaviour withEmbeddingDimensions(int value) {
        return new ModelBehaviour(
                timeToFirstToken,
                interTokenLatency,
                outputTokens,
                maxConcurrency,
                errorRate,
                unavailable,
                resetAfterTokens,
                hang,
                slowStart,
                loadTime,
                value);
    }

    /**
     * Whether a response of {@code steps} tokens is cut by a reset. Resetting after exactly all
     * tokens still cuts the stream before its terminating done line or [DONE] event.
     */
    public boolean resetsWithin(int steps) {
        return resetAfterTokens >= 0 && resetAfterTokens <= steps;
    }

    private static void requireNonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative (got " + value + ")");
        }
    }
}
