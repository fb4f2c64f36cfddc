package ai.sovereign.gateway.auth;

import ai.sovereign.gateway.json.JsonBodies;
import java.util.List;

/**
 * Whether a key's allowed-model globs ({@code *} any run of characters, {@code ?} one character) admit a model. No
 * regular expression: the pieces between stars are found left to right, each at its first place, so a match takes at
 * most (model length × glob length) character comparisons whatever the input, and model names are at most {@value
 * JsonBodies#MAX_MODEL_BYTES} bytes ({@link JsonBodies#modelName}).
 */
public final class ModelPolicy {

    private ModelPolicy() {}

    public static boolean allows(List<String> globs, String model) {
        for (String glob : globs) {
            if (matches(glob, model)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code glob} matches all of {@code text}: its first piece (before any star) at the start, its last piece (after
     * the last star) at the end, and the pieces between in order, each at the leftmost place after the previous one
     * (leftmost is always right: a later place leaves less room for the rest).
     */
    static boolean matches(String glob, String text) {
        int firstStar = glob.indexOf('*');
        if (firstStar < 0) {
            return glob.length() == text.length() && pieceAt(glob, 0, glob.length(), text, 0);
        }
        int lastStar = glob.lastIndexOf('*');
        int prefix = firstStar;
        int suffix = glob.length() - lastStar - 1;
        if (prefix + suffix > text.length()
                || !pieceAt(glob, 0, prefix, text, 0)
                || !pieceAt(glob, lastStar + 1, suffix, text, text.length() - suffix)) {
            return false;
        }
        int at = prefix;
        int end = text.length() - suffix;
        int piece = firstStar + 1;
        while (piece < lastStar) {
            int next = glob.indexOf('*', piece);
            int length = next - piece;
            int found = -1;
            for (int start = at; start + length <= end; start++) {
                if (pieceAt(glob, piece, length, text, start)) {
                    found = start;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            at = found + length;
            piece = next + 1;
        }
        return true;
    }

    /** {@code glob[from, from + length)} matches {@code text} at {@code start}, {@code ?} matching any character. */
    private static boolean pieceAt(String glob, int from, int length, String text, int start) {
        for (int i = 0; i < length; i++) {
            char g = glob.charAt(from + i);
            if (g != '?' && g != text.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }
}
