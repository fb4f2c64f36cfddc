package ai.sovereign.simulator.generation;

/** OpenAI's tool_choice, reduced to what decides whether the simulator calls a tool. */
public sealed interface ToolChoice {

    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice REQUIRED = new Required();

    /** Calls a tool only when the last user message starts with "call ". */
    record Auto() implements ToolChoice {}

    /** Never calls a tool. */
    record None() implements ToolChoice {}

    /** Always calls a tool. */
    record Required() implements ToolChoice {}

    /** Always calls the named function. */
    record Named(String function) implements ToolChoice {}
}
