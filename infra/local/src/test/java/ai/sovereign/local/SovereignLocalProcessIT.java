package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/sovereign-local.jar} as an operator runs it: its own process, ready within the time the
 * issue allows, stopped with SIGTERM, started again on the same data directory with the data still there.
 */
class SovereignLocalProcessIT {

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Pattern URL_LINE = Pattern.compile("^  (\\S[^\\n]*?)\\s{2,}(http://\\S+)\\s*$");
    private static final Pattern KEY_LINE = Pattern.compile("^  bootstrap admin key\\s+in (\\S+)");
    private static final Pattern READY_LINE = Pattern.compile("ready in ([0-9.]+) s");

    @TempDir
    Path dataDir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void startsAsItsOwnProcessRestartsAndKeepsItsData() throws Exception {
        String keyId;
        try (Launcher first = Launcher.start(dataDir)) {
            first.awaitReady();
            System.out.printf(
                    "sovereign-local ready in %.1f s (its own figure %s s)%n",
                    first.readyAfter.toMillis() / 1000.0, first.reportedSeconds);
            assertEveryServiceHealthy(first);
            assertTrue(
                    first.bootstrapKey != null, "the banner shows the bootstrap admin key's file:\n" + first.output());
            assertFalse(
                    first.output().contains(first.bootstrapKey),
                    "the bootstrap admin key itself never appears in the process output");

            HttpResponse<String> created = send(
                    first,
                    "POST",
                    "/admin/keys",
                    first.bootstrapKey,
                    "{\"name\":\"survives-restart\",\"tenant\":\"acme\",\"role\":\"user\"}");
            assertEquals(201, created.statusCode(), created.body());
            keyId = field(created.body(), "id");

            // a second instance on the same data directory refuses to start, naming the running one
            Process second = Launcher.processBuilder(dataDir).start();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second instance exits");
            String secondOutput = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, second.exitValue(), secondOutput);
            assertTrue(secondOutput.contains("is already running on the data directory"), secondOutput);

            assertStoppedBySigterm(first.stop(), first);
        }

        try (Launcher again = Launcher.start(dataDir)) {
            again.awaitReady();
            System.out.printf("sovereign-local restarted, ready in %.1f s%n", again.readyAfter.toMillis() / 1000.0);
            assertEveryServiceHealthy(again);
            HttpResponse<String> key = send(again, "GET", "/admin/keys/" + keyId, again.bootstrapKey, null);
            assertEquals(200, key.statusCode(), key.body());
            assertTrue(key.body().contains("survives-restart"), key.body());
            assertStoppedBySigterm(again.stop(), again);
        }
    }

    /** The JVM exits with 128 + 15 after its shutdown hooks ran on SIGTERM. */
    private static void assertStoppedBySigterm(int exitCode, Launcher launcher) {
        assertTrue(exitCode == 143 || exitCode == 0, "exit code " + exitCode + " after SIGTERM:\n" + launcher.output());
    }

    private void assertEveryServiceHealthy(Launcher launcher) throws Exception {
        assertTrue(
                launcher.urls
                        .keySet()
                        .containsAll(List.of("gateway", "router", "ingestion", "backup-service", "audit-service")),
                "service URLs in the banner: " + launcher.urls);
        for (Map.Entry<String, String> service : launcher.urls.entrySet()) {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(service.getValue() + "/health"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), service.getKey() + ": " + health.body());
        }
    }

    private HttpResponse<String> send(Launcher launcher, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(launcher.urls.get("gateway") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    /** One run of the launcher jar, its output collected line by line. */
    private static final class Launcher implements AutoCloseable {

        private final Process process;
        private final long startedNanos = System.nanoTime();
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final Map<String, String> urls = new LinkedHashMap<>();
        private volatile String bootstrapKey;
        private volatile String reportedSeconds;
        private Duration readyAfter;

        private Launcher(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().name("sovereign-local-output").start(this::readOutput);
        }

        static Launcher start(Path dataDir) throws IOException {
            return new Launcher(processBuilder(dataDir).start());
        }

        /** The launcher on {@code dataDir}, with every port chosen free. */
        static ProcessBuilder processBuilder(Path dataDir) {
            ProcessBuilder builder =
                    new ProcessBuilder(command()).redirectErrorStream(true).directory(dataDir.toFile());
            Map<String, String> env = builder.environment();
            env.put("SOVEREIGN_DATA_DIR", dataDir.resolve("data").toString());
            env.put("SOVEREIGN_POSTGRES_PORT", "0");
            env.put("SOVEREIGN_KAFKA_PORT", "0");
            env.put("SOVEREIGN_NEO4J_BOLT_PORT", "0");
            env.put("SOVEREIGN_RANDOM_SERVICE_PORTS", "true");
            return builder;
        }

        static List<String> command() {
            Path jar = Path.of("target", "sovereign-local.jar").toAbsolutePath();
            assertTrue(Files.isRegularFile(jar), jar + " is built by `package` before this test");
            // the README's command: the Vector API module on, for the embedded vector store
            return List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules",
                    "jdk.incubator.vector",
                    "-jar",
                    jar.toString());
        }

        private void readOutput() {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    Matcher url = URL_LINE.matcher(line);
                    if (url.find()
                            && !url.group(1).startsWith("inference")
                            && !url.group(1).startsWith("gpu-agent")) {
                        urls.put(url.group(1).strip(), url.group(2));
                    }
                    Matcher key = KEY_LINE.matcher(line);
                    if (key.find()) {
                        bootstrapKey = Files.readString(Path.of(key.group(1))).strip();
                    }
                    Matcher readyLine = READY_LINE.matcher(line);
                    if (readyLine.find()) {
                        reportedSeconds = readyLine.group(1);
                    }
                    if (line.startsWith("Stop with Ctrl-C")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the launcher exited before it was ready"));
        }

        void awaitReady() throws Exception {
            try {
                ready.get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("not ready within " + READY_WITHIN + ":\n" + output(), e);
            }
            readyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        /** Sends SIGTERM and waits for the exit code. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("no exit within 60 s of SIGTERM:\n" + output());
            }
            return process.exitValue();
        }

        String output() {
            List<String> all = List.copyOf(lines);
            return String.join("\n", all.subList(Math.max(0, all.size() - 80), all.size()));
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
