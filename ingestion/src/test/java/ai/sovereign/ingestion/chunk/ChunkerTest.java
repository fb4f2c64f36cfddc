package ai.sovereign.ingestion.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunking with a word-count tokenizer, so sizes are easy to reason about. */
class ChunkerTest {

    private static final TokenCounter WORDS =
            text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    private static String words(String prefix, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(prefix).append(i);
        }
        return s.append('.').toString();
    }

    @Test
    void shortTextIsOneChunk() {
        List<Chunk> chunks =
                new Chunker(new ChunkingSettings(512, 64), WORDS).chunk("One paragraph.\n\nAnother paragraph.");
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().text()).isEqualTo("One paragraph.\n\nAnother paragraph.");
        assertThat(chunks.getFirst().position()).isZero();
    }

    @Test
    void paragraphsArePackedWithoutSplittingAndNoChunkExceedsTheLimit() {
        String text = String.join("\n\n", words("a", 30), words("b", 30), words("c", 30), words("d", 30));
        List<Chunk> chunks = new Chunker(new ChunkingSettings(64, 0), WORDS).chunk(text);
        assertThat(chunks).hasSize(2);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(64));
        assertThat(chunks.get(0).text()).startsWith("a0").endsWith("b29.");
        assertThat(chunks.get(1).text()).startsWith("c0").endsWith("d29.");
        assertThat(chunks).extracting(Chunk::position).containsExactly(0, 1);
    }

    @Test
    void aLongParagraphIsSplitAtSentencesWithOverlap() {
        String paragraph =
                String.join(" ", words("Sx", 10), words("Sy", 10), words("Sz", 10), words("Sw", 10), words("Sv", 10));
        List<Chunk> chunks = new Chunker(new ChunkingSettings(32, 10), WORDS).chunk(paragraph);
        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(32));
        // the last sentence of one chunk (10 words, within the 10-token overlap) opens the next
        String first = chunks.get(0).text();
        String lastSentence = first.substring(first.lastIndexOf(". ") + 2);
        assertThat(chunks.get(1).text()).startsWith(lastSentence);
    }

    @Test
    void aHeadingStartsANewChunkOnceTheCurrentOneIsAQuarterFull() {
        String text = words("intro", 40) + "\n\n# Methods\n\n" + words("m", 10);
        List<Chunk> chunks = new Chunker(new ChunkingSettings(128, 0), WORDS).chunk(text);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).text()).startsWith("# Methods");
    }

    @Test
    void aSentenceLongerThanTheLimitIsCutIntoWordWindows() {
        List<Chunk> chunks = new Chunker(new ChunkingSettings(16, 0), WORDS).chunk(words("w", 50));
        assertThat(chunks).hasSize(4);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(16));
    }

    @Test
    void aChunksTokenCountIsWhatTheModelsTokenizerCountsForItsWholeText() {
        TokenCounter wordPiece = new ai.sovereign.ingestion.embed.onnx.WordPieceTokenCounter();
        String text = String.join(
                "\n\n",
                "# Boundary-layer flow",
                "The NACA 0012 aerofoil at Mach 0.8 (transonic) shows " + "shock-induced separation.",
                "Heat transfer: 12.5 kW/m² at the leading edge; re-attachment downstream.",
                "Résumé of the experiments, naïvely extrapolated.");
        List<Chunk> chunks = new Chunker(new ChunkingSettings(40, 8), wordPiece).chunk(text);
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(wordPiece.count(c.text())));
    }
}
