package ai.sovereign.ingestion.graph;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A user's free text as a safe Lucene query: its words, OR-ed, with no query syntax left in. */
final class LuceneQueryText {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private LuceneQueryText() {}

    static String of(String text) {
        StringBuilder query = new StringBuilder();
        Matcher words = WORD.matcher(text);
        while (words.find()) {
            String word = words.group().toLowerCase(Locale.ROOT);
            if (word.equals("and") || word.equals("or") || word.equals("not") || word.equals("to")) {
                continue;
            }
            if (!query.isEmpty()) {
                query.append(' ');
            }
            query.append(word);
        }
        return query.toString();
    }
}
