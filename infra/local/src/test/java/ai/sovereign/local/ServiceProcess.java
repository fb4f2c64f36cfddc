package ai.sovereign.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One service of the platform run as production runs it: {@code java -jar <module>/target/<service>.jar} in a process
 * of its own, its settings in a config file ({@code micronaut.config.files}), its output in a log file. It can be
 * killed with SIGKILL and started again on the same port, data and outbox directories.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String label;
    private final Path jar;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private ServiceProcess(String label, Path jar, Path config, Path log, int port) {
        this.label = label;
        this.jar = jar;
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /**
     * Writes {@code properties} to {@code <workDir>/<label>.yml} and starts {@code jar} with them; call
     * {@link #awaitUp} before using it.
     */
    static ServiceProcess start(String label, Path jar, Path workDir, int port, Map<String, Object> properties) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is built by `package` before this test");
        }
        Path config = workDir.resolve(label + ".yml");
        StringBuilder yaml = new StringBuilder();
        // YAML is a superset of JSON: one flat key per line, each value written as JSON
        new TreeMap<>(properties)
                .forEach((key, value) ->
                        yaml.append(json(key)).append(": ").append(json(value)).append('\n'));
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess service = new ServiceProcess(label, jar, config, workDir.resolve(label + ".log"), port);
        service.launch();
        return service;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xmx512m",
                "-Dmicronaut.config.files=" + config,
                "-jar",
                jar.toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the service answers {@code /health} (with any status: a dependency may be down on purpose; the
     * Kafka check alone may take 3 s then).
     */
    ServiceProcess awaitUp(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url() + "/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return this;
            } catch (IOException e) {
                pause(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(label + " did not answer within " + within + ":\n" + logTail());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the service again, same settings and directories. */
    void restart() {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    boolean alive() {
        return process.isAlive();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String label() {
        return label;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JSON form of a config value: strings, numbers, booleans, lists and maps of them. */
    static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "")
                    .append(json(String.valueOf(k)))
                    .append(':')
                    .append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof Iterable<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                out.append(out.length() > 1 ? "," : "").append(json(item));
            }
            return out.append(']').toString();
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
