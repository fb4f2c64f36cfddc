package ai.sovereign.simulator.generation;

/**
 * The simulator's one token-counting rule, used for prompts and generated text alike so that
 * {@code usage} and {@code eval_count} are exact and predictable: every maximal run of letters and
 * digits is one token, every other non-whitespace character (punctuation, symbols) is one token,
 * and whitespace is never a token. {@code "Hello, world!"} is four tokens.
 */
public final class TokenCounter {

    private TokenCounter() {}

    public static int count(CharSequence text) {
        if (text == null) {
            return 0;
        }
        int tokens = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    tokens++;
                    inWord = true;
                }
            } else {
                inWord = false;
                if (!Character.isWhitespace(c) && !Character.isLowSurrogate(c)) {
                    tokens++;
                }
            }
        }
        return tokens;
    }
}
