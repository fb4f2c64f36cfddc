package ai.sovereign.gateway.auth;

import java.util.List;
import java.util.regex.Pattern;

/** Whether a key's allowed-model globs ({@code *} any run of characters, {@code ?} one character) admit a model. */
public final class ModelPolicy {

    private ModelPolicy() {
    }

    public static boolean allows(List<String> globs, String model) {
        for (String glob : globs) {
            if (toRegex(glob).matcher(model).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }
}
