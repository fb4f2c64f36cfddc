package ai.sovereign.simulator.generation;

/** Why generation ended, with the OpenAI wire names. */
public enum FinishReason {
    STOP("stop"),
    LENGTH("length"),
    TOOL_CALLS("tool_calls");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Ollama has no "tool_calls" reason: a turn that calls a tool simply stops. */
    public String ollamaName() {
        return this == TOOL_CALLS ? STOP.wireName : wireName;
    }
}
