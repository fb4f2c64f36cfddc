package ai.sovereign.ingestion.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Token-aware chunking: packs whole paragraphs (then sentences, then words) into chunks of at most {@code maxTokens},
 * starts a new chunk at a heading when the current one is at least a quarter full, and carries the last
 * {@code overlapTokens} worth of sentences of one chunk into the next.
 */
public final class Chunker {

    private static final Pattern PARAGRAPHS = Pattern.compile("\\n\\s*\\n");
    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\p{N}\"'(\\[])");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6} .+|[\\p{Lu}\\p{N}][^.!?\\n]{0,80})$");

    private final int maxTokens;
    private final int overlapTokens;
    private final TokenCounter counter;

    public Chunker(ChunkingSettings settings, TokenCounter counter) {
        this.maxTokens = settings.maxTokens();
        this.overlapTokens = settings.overlapTokens();
        this.counter = counter;
    }

    public List<Chunk> chunk(String text) {
        List<Unit> units = units(text);
        List<Chunk> chunks = new ArrayList<>();
        List<Unit> current = new ArrayList<>();
        int currentTokens = 0;
        boolean currentHasNew = false;
        for (Unit unit : units) {
            boolean headingBreak = unit.heading() && currentTokens >= maxTokens / 4;
            if (currentHasNew && (currentTokens + unit.tokens() > maxTokens || headingBreak)) {
                chunks.add(emit(chunks.size(), current));
                current = headingBreak ? new ArrayList<>() : overlapTail(current);
                currentTokens = current.stream().mapToInt(Unit::tokens).sum();
                currentHasNew = false;
            }
            current.add(unit);
            currentTokens += unit.tokens();
            currentHasNew = true;
        }
        if (currentHasNew) {
            chunks.add(emit(chunks.size(), current));
        }
        return chunks;
    }

    private Chunk emit(int position, List<Unit> units) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < units.size(); i++) {
            Unit unit = units.get(i);
            if (i > 0) {
                text.append(unit.startsParagraph() ? "\n\n" : " ");
            }
            text.append(unit.text());
        }
        // units join at whitespace, which WordPiece never puts inside a token: the chunk's count is the sum of its
        // units'
        return new Chunk(
                position, text.toString(), units.stream().mapToInt(Unit::tokens).sum());
    }

    /** The trailing units of a chunk that fit in the overlap budget; they open the next chunk. */
    private List<Unit> overlapTail(List<Unit> units) {
        List<Unit> tail = new ArrayList<>();
        int tokens = 0;
        for (int i = units.size() - 1; i >= 0 && overlapTokens > 0; i--) {
            Unit unit = units.get(i);
            if (tokens + unit.tokens() > overlapTokens) {
                break;
            }
            tail.addFirst(unit);
            tokens += unit.tokens();
        }
        return tail;
    }

    /** Paragraphs that fit; sentences of those that do not; word windows of sentences that still do not. */
    private List<Unit> units(String text) {
        List<Unit> units = new ArrayList<>();
        for (String paragraph : PARAGRAPHS.split(text, -1)) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean heading = HEADING.matcher(p).matches();
            int tokens = counter.count(p);
            if (tokens <= maxTokens - overlapTokens) {
                units.add(new Unit(p, tokens, true, heading));
                continue;
            }
            boolean first = true;
            for (String sentence : SENTENCES.split(p, -1)) {
                for (Unit piece : splitSentence(sentence.strip())) {
                    units.add(new Unit(piece.text(), piece.tokens(), first, false));
                    first = false;
                }
            }
        }
        return units;
    }

    private List<Unit> splitSentence(String sentence) {
        int tokens = counter.count(sentence);
        int budget = maxTokens - overlapTokens;
        if (tokens <= budget) {
            return List.of(new Unit(sentence, tokens, false, false));
        }
        String[] words = sentence.split("\\s+", -1);
        List<Unit> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int pieceTokens = 0;
        for (String word : words) {
            int wordTokens = Math.max(1, counter.count(word));
            if (pieceTokens + wordTokens > budget && !piece.isEmpty()) {
                pieces.add(new Unit(piece.toString(), counter.count(piece.toString()), false, false));
                piece.setLength(0);
                pieceTokens = 0;
            }
            if (!piece.isEmpty()) {
                piece.append(' ');
            }
            piece.append(word);
            pieceTokens += wordTokens;
        }
        if (!piece.isEmpty()) {
            pieces.add(new Unit(piece.toString(), counter.count(piece.toString()), false, false));
        }
        return pieces;
    }

    private record Unit(String text, int tokens, boolean startsParagraph, boolean heading) {}
}
