package ai.sovereign.simulator.generation;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Plans an answer that depends only on (seed, model, prompt): the same request always gets the
 * same text, so tests can compare streamed and non-streamed answers and benchmarks are repeatable.
 */
public final class CompletionPlanner {

    private final long globalSeed;

    public CompletionPlanner(long globalSeed) {
        this.globalSeed = globalSeed;
    }

    /**
     * Plans the answer to {@code request}, reproducibly from the seed, the model and the prompt.
     *
     * @param naturalTokens the answer length the model "wants" (the behaviour's outputTokens);
     *                      a lower client limit ends the answer early with finish reason "length"
     */
    public Completion plan(CompletionRequest request, int naturalTokens) {
        long seed = request.seed().orElse(globalSeed);
        SplittableRandom random = new SplittableRandom(
                SeedMixer.mix(seed, request.model(), request.prompt().text()));
        int promptTokens = request.prompt().tokens();

        Optional<ToolCall> call = ToolCallPlanner.plan(
                request.tools(), request.toolChoice(), request.prompt().lastUserMessage(), random);
        if (call.isPresent()) {
            return new Completion(
                    List.of(),
                    call.get(),
                    FinishReason.TOOL_CALLS,
                    promptTokens,
                    call.get().tokens());
        }

        int limit = request.maxTokens() >= 0 ? Math.min(request.maxTokens(), naturalTokens) : naturalTokens;
        FinishReason reason = limit < naturalTokens ? FinishReason.LENGTH : FinishReason.STOP;
        List<String> pieces = TextGenerator.generate(random, limit);
        List<String> stopped = StopSequences.cut(pieces, request.stop());
        if (stopped != null) {
            pieces = stopped;
            reason = FinishReason.STOP;
        }
        return new Completion(pieces, null, reason, promptTokens, TokenCounter.count(String.join("", pieces)));
    }
}
