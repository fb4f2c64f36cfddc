package ai.sovereign.simulator.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCounterTest {

    @ParameterizedTest(name = "\"{0}\" has {1} tokens")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                          | 0",
                "'   '                       | 0",
                "hello                       | 1",
                "'Hello, world!'             | 4",
                "'The cat sat.'              | 4",
                "'llama3.1:8b'               | 5",
                "'don''t stop'               | 4",
                "'a  b   c'                  | 3",
                "'ümlaut café'               | 2",
                "'x = y + 2;'                | 6",
                "'...'                       | 3"
            })
    void countsWordsAndEachPunctuationMark(String text, int expected) {
        assertEquals(expected, TokenCounter.count(text));
    }

    @ParameterizedTest(name = "{0} generated tokens count back as {0}")
    @CsvSource({"0", "1", "5", "13", "100", "1000"})
    void generatedTextCountsExactlyOneTokenPerPiece(int tokens) {
        var pieces = TextGenerator.generate(new java.util.SplittableRandom(tokens), tokens);
        assertEquals(tokens, pieces.size());
        assertEquals(tokens, TokenCounter.count(String.join("", pieces)));
    }
}
