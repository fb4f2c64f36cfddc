package ai.sovereign.bench.report;

import ai.sovereign.bench.load.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark's results, written side by side as {@code <name>.json} (for machines) and {@code <name>.md} (for the
 * note and the docs), with the command that produced them and the machine it ran on.
 */
public final class BenchReport {

    private final String name;
    private final String command;
    private final List<LoadResult> results = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final java.util.Map<String, Double> figures = new java.util.LinkedHashMap<>();

    public BenchReport(String name, String command) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "report name must be lower-case letters, digits and '-' (got '" + name + "')");
        }
        this.name = name;
        this.command = command;
    }

    public BenchReport add(LoadResult result) {
        results.add(result);
        return this;
    }

    /** A named figure that is not a latency run (a ratio, tokens per second, a hit rate), kept in order. */
    public BenchReport figure(String name, double value) {
        figures.put(name, value);
        return this;
    }

    public BenchReport note(String note) {
        notes.add(note);
        return this;
    }

    /** Writes both files under {@code directory} and returns the Markdown path. */
    public Path write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".json"), json());
        Path markdown = directory.resolve(name + ".md");
        Files.writeString(markdown, markdown());
        return markdown;
    }

    String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    String json() {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"name\": ")
                .append(quote(name))
                .append(",\n  \"command\": ")
                .append(quote(command))
                .append(",\n  \"machine\": ")
                .append(quote(machine()))
                .append(",\n  \"finishedAt\": ")
                .append(quote(Instant.now().toString()))
                .append(",\n  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            LoadResult r = results.get(i);
            var l = r.latency();
            out.append(i == 0 ? "\n" : ",\n")
                    .append(String.format(
                            Locale.ROOT,
                            "    {\"name\": %s, \"requests\": %d, \"failures\": %d, \"seconds\": %.3f, \"requestsPerSecond\": %.1f,"
                                    + " \"latencyMs\": {\"mean\": %.3f, \"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"max\": %.3f}}",
                            quote(r.name()),
                            r.requests(),
                            r.failures(),
                            r.seconds(),
                            r.requestsPerSecond(),
                            l.meanMs(),
                            l.p50Ms(),
                            l.p95Ms(),
                            l.p99Ms(),
                            l.maxMs()));
        }
        out.append("\n  ],");
        if (!figures.isEmpty()) {
            out.append("\n  \"figures\": {");
            int i = 0;
            for (var f : figures.entrySet()) {
                out.append(i++ == 0 ? "\n" : ",\n")
                        .append("    ")
                        .append(quote(f.getKey()))
                        .append(String.format(Locale.ROOT, ": %.4f", f.getValue()));
            }
            out.append("\n  },");
        }
        out.append("\n  \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(quote(notes.get(i)));
        }
        return out.append("]\n}\n").toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# ")
                .append(name)
                .append("\n\n")
                .append("Command: `")
                .append(command)
                .append("`  \nMachine: ")
                .append(machine())
                .append("\n\n")
                .append("| run | requests | failed | req/s | mean ms | p50 ms | p95 ms | p99 ms | max ms |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (LoadResult r : results) {
            var l = r.latency();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.1f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                    r.name(),
                    r.requests(),
                    r.failures(),
                    r.requestsPerSecond(),
                    l.meanMs(),
                    l.p50Ms(),
                    l.p95Ms(),
                    l.p99Ms(),
                    l.maxMs()));
        }
        if (!figures.isEmpty()) {
            out.append("\n| figure | value |\n| --- | ---: |\n");
            figures.forEach((k, v) -> out.append(String.format(Locale.ROOT, "| %s | %.3f |%n", k, v)));
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
