package ai.sovereign.simulator.inference;

/**
 * Measured phases of one answer, in nanoseconds, as Ollama reports them.
 *
 * @param totalNanos      from request arrival to the end of the answer (queueing included)
 * @param loadNanos       simulated model load time paid by this request
 * @param promptEvalNanos time to first token after loading (the behaviour's TTFT)
 * @param evalNanos       from the first token to the end of the answer
 */
public record Timings(long totalNanos, long loadNanos, long promptEvalNanos, long evalNanos) {}
