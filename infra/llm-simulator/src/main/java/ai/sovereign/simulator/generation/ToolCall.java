package ai.sovereign.simulator.generation;

/**
 * A simulated function call.
 *
 * @param argumentsJson the arguments as a JSON object in text form (OpenAI sends this string,
 *                      Ollama sends the parsed object)
 */
public record ToolCall(String id, String name, String argumentsJson) {

    /** Tool calls count as the tokens of the function name plus those of the arguments JSON. */
    public int tokens() {
        return TokenCounter.count(name) + TokenCounter.count(argumentsJson);
    }
}
