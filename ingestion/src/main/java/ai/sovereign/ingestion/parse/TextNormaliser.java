package ai.sovereign.ingestion.parse;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Unicode NFKC, Unix newlines, no control characters, single spaces inside lines, at most one blank line between paragraphs. */
public final class TextNormaliser {

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\u00A0\\u2000-\\u200B]+");
    private static final Pattern SPACE_AROUND_NEWLINE = Pattern.compile(" *\\n *");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

    private TextNormaliser() {}

    public static String normalise(String raw) {
        String text = Normalizer.normalize(raw, Normalizer.Form.NFKC)
                .replace("\r\n", "\n")
                .replace('\r', '\n');
        text = CONTROL.matcher(text).replaceAll("");
        text = SPACES.matcher(text).replaceAll(" ");
        text = SPACE_AROUND_NEWLINE.matcher(text).replaceAll("\n");
        text = BLANK_LINES.matcher(text).replaceAll("\n\n");
        return text.strip();
    }

    /** Share of characters that are not readable text (replacement characters, private use, unassigned). */
    public static double garbageRatio(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        long bad = text.codePoints()
                .filter(cp -> cp == 0xFFFD
                        || Character.getType(cp) == Character.PRIVATE_USE
                        || Character.getType(cp) == Character.UNASSIGNED
                        || Character.getType(cp) == Character.SURROGATE
                        || (Character.isISOControl(cp) && cp != '\n' && cp != '\t'))
                .count();
        return (double) bad / text.codePointCount(0, text.length());
    }
}
