package ai.sovereign.simulator.generation;

import java.util.List;

/**
 * A planned answer, decided in full before the first byte is sent so that streamed and
 * non-streamed answers to the same request are identical.
 *
 * @param pieces           the text in stream order, one token per piece (empty for a tool call)
 * @param toolCall         the function call instead of text, or {@code null}
 * @param completionTokens tokens of the answer under {@link TokenCounter}'s rule
 */
public record Completion(
        List<String> pieces, ToolCall toolCall, FinishReason finishReason, int promptTokens, int completionTokens) {

    public Completion {
        pieces = List.copyOf(pieces);
    }

    public String text() {
        return String.join("", pieces);
    }

    /** How many timed steps a stream of this answer takes: one per token, one for a tool call. */
    public int steps() {
        return toolCall != null ? 1 : pieces.size();
    }
}
