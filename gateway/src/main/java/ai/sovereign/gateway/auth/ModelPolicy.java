package ai.sovereign.gateway.auth;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Whether a key's allowed-model globs ({@code *} any run of characters, {@code ?} one character) admit a model. */
public final class ModelPolicy {

    private ModelPolicy() {}

    /** Compiled globs: a key's patterns are checked on every request, and compiling one costs more than matching. */
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    public static boolean allows(List<String> globs, String model) {
        for (String glob : globs) {
            if ("*".equals(glob) || compiled(glob).matcher(model).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern compiled(String glob) {
        Pattern pattern = COMPILED.get(glob);
        if (pattern == null) {
            if (COMPILED.size() > 10_000) {
                COMPILED.clear(); // bounded: keys and their patterns come and go
            }
            pattern = toRegex(glob);
            COMPILED.put(glob, pattern);
        }
        return pattern;
    }

    static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
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
