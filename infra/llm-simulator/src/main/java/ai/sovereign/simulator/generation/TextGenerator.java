package ai.sovereign.simulator.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates answer text as a list of pieces, one token each: words from {@link WordList} in
 * sentences of 4 to 12 words ending with a full stop. Joining the pieces and counting with
 * {@link TokenCounter} gives back exactly the number of pieces, which is what lets streamed and
 * non-streamed answers report the same counts.
 */
public final class TextGenerator {

    private static final int MIN_SENTENCE = 4;
    private static final int MAX_SENTENCE = 12;

    private TextGenerator() {}

    public static List<String> generate(SplittableRandom random, int tokens) {
        List<String> pieces = new ArrayList<>(tokens);
        int sentenceLeft = 0;
        while (pieces.size() < tokens) {
            if (sentenceLeft == 0 && !pieces.isEmpty() && !pieces.getLast().equals(".")) {
                pieces.add(".");
                continue;
            }
            if (sentenceLeft == 0) {
                sentenceLeft = random.nextInt(MIN_SENTENCE, MAX_SENTENCE + 1);
                int word = random.nextInt(WordList.WORDS.size());
                pieces.add(pieces.isEmpty() ? WordList.CAPITALISED.get(word) : WordList.SPACED_CAPITALISED.get(word));
            } else {
                pieces.add(WordList.SPACED.get(random.nextInt(WordList.WORDS.size())));
            }
            sentenceLeft--;
        }
        return pieces;
    }

    /** One lowercase word, e.g. for simulated tool-call arguments. */
    public static String word(SplittableRandom random) {
        return WordList.WORDS.get(random.nextInt(WordList.WORDS.size()));
    }
}
