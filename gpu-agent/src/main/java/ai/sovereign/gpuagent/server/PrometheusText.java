package ai.sovereign.gpuagent.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The samples of a Prometheus text exposition ({@code name{label="value",...} number [timestamp]}), enough to read
 * vLLM's gauges. Comments, malformed lines and non-finite values are skipped.
 */
public final class PrometheusText {

    private final Map<String, List<Sample>> byName;

    private PrometheusText(Map<String, List<Sample>> byName) {
        this.byName = byName;
    }

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {

        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    public static PrometheusText parse(String text) {
        return parse(text, null);
    }

    /** Only the samples of {@code names} (null: all); the other lines are skipped before they are parsed. */
    public static PrometheusText parse(String text, java.util.Set<String> names) {
        Map<String, List<Sample>> byName = new HashMap<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || (names != null && !wanted(line, names))) {
                continue;
            }
            Sample sample = parseLine(line);
            if (sample != null) {
                byName.computeIfAbsent(sample.name(), k -> new ArrayList<>()).add(sample);
            }
        }
        return new PrometheusText(byName);
    }

    private static boolean wanted(String line, java.util.Set<String> names) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        return names.contains(line.substring(0, end));
    }

    public List<Sample> samples(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The sum over every sample of {@code name}; empty when there is none. */
    public OptionalDouble sum(String name) {
        List<Sample> samples = samples(name);
        return samples.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(samples.stream().mapToDouble(Sample::value).sum());
    }

    /** The largest sample of {@code name}; empty when there is none. */
    public OptionalDouble max(String name) {
        return samples(name).stream().mapToDouble(Sample::value).max();
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = Map.of();
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            int close = line.lastIndexOf('}');
            if (close < brace) {
                return null;
            }
            name = line.substring(0, brace);
            labels = parseLabels(line.substring(brace + 1, close));
            rest = line.substring(close + 1).strip();
        } else if (space > 0) {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        } else {
            return null;
        }
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
            end++;
        }
        String number = rest.substring(0, end);
        try {
            double value = Double.parseDouble(number);
            return Double.isFinite(value) ? new Sample(name, labels, value) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> parseLabels(String body) {
        Map<String, String> labels = new HashMap<>();
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0 || eq + 1 >= body.length() || body.charAt(eq + 1) != '"') {
                break;
            }
            String key = body.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < body.length() && body.charAt(j) != '"') {
                char c = body.charAt(j);
                if (c == '\\' && j + 1 < body.length()) {
                    char next = body.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = body.indexOf(',', j);
            if (i < 0) {
                break;
            }
            i++;
        }
        return labels;
    }
}
