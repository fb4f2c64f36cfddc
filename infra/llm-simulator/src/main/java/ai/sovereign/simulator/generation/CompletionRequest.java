package ai.sovereign.simulator.generation;

import java.util.List;
import java.util.OptionalLong;

/**
 * The generation-relevant part of a chat or completion request, in either dialect.
 *
 * @param seed      the request's own seed; without one the simulator's global seed is used
 * @param maxTokens the client's limit (max_tokens, num_predict), or negative for none
 */
public record CompletionRequest(
        String model,
        Prompt prompt,
        OptionalLong seed,
        int maxTokens,
        List<String> stop,
        List<ToolSpec> tools,
        ToolChoice toolChoice) {

    public CompletionRequest {
        stop = List.copyOf(stop);
        tools = List.copyOf(tools);
    }
}
