package ai.sovereign.simulator.generation;

/**
 * What the generator needs from a request's input.
 *
 * @param text        everything the model "reads", used to seed the answer
 * @param tokens      prompt tokens under {@link TokenCounter}'s rule
 * @param lastUserMessage the latest user turn, which decides whether a tool gets called
 */
public record Prompt(String text, int tokens, String lastUserMessage) {

    public Prompt {
        text = text == null ? "" : text;
        lastUserMessage = lastUserMessage == null ? "" : lastUserMessage;
    }

    /** A plain completion prompt, e.g. Ollama's /api/generate or OpenAI's /v1/completions. */
    public static Prompt of(String text) {
        return new Prompt(text, TokenCounter.count(text), text);
    }
}
