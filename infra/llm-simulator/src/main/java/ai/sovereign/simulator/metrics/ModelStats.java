package ai.sovereign.simulator.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one model; they outlive the model's removal so a test can still read them. */
public final class ModelStats {

    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder generatedTokens = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);

    ModelStats() {
        for (FailureKind kind : FailureKind.values()) {
            failures.put(kind, new LongAdder());
        }
    }

    /** Records a request answered in full. */
    public void completed(int promptTokens, int generatedTokens) {
        this.promptTokens.add(promptTokens);
        this.generatedTokens.add(generatedTokens);
        completed.increment();
    }

    public void failed(FailureKind kind) {
        failures.get(kind).increment();
    }

    public long promptTokens() {
        return promptTokens.sum();
    }

    public long generatedTokens() {
        return generatedTokens.sum();
    }

    public long completed() {
        return completed.sum();
    }

    public long failures(FailureKind kind) {
        return failures.get(kind).sum();
    }

    void reset() {
        promptTokens.reset();
        generatedTokens.reset();
        completed.reset();
        failures.values().forEach(LongAdder::reset);
    }
}
