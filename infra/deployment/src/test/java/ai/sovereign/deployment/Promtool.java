package ai.sovereign.deployment;

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
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's {@code promtool}: the one on the PATH, or Debian's package unpacked under {@code target/tools}
 * (downloaded with {@code apt-get download}, falling back to the Debian mirror), so the checks need no manual install.
 */
final class Promtool {

    private static final String DEBIAN_POOL =
            "http://deb.debian.org/debian/pool/main/p/prometheus/prometheus_2.42.0+ds-5+deb12u1_amd64.deb";

    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    /** The promtool to use, installing Debian's into {@code target/tools} on first use. */
    static synchronized Promtool provision() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return new Promtool(candidate);
            }
        }
        Path tools = Path.of("target/tools").toAbsolutePath();
        Path unpacked = tools.resolve("prometheus/usr/bin/promtool");
        if (!Files.isExecutable(unpacked)) {
            try {
                Files.createDirectories(tools);
                Path deb = download(tools);
                Result extract = run(
                        tools,
                        List.of(
                                "dpkg-deb",
                                "-x",
                                deb.toString(),
                                tools.resolve("prometheus").toString()));
                if (extract.exitCode() != 0 || !Files.isExecutable(unpacked)) {
                    throw new IllegalStateException("could not unpack " + deb + ": " + extract.output());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Promtool(unpacked);
    }

    private static Path download(Path tools) throws IOException {
        Result apt = run(tools, List.of("apt-get", "download", "prometheus"));
        Path deb = findDeb(tools);
        if (deb != null) {
            return deb;
        }
        Path target = tools.resolve("prometheus.deb");
        try (HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build()) {
            HttpResponse<Path> response = client.send(
                    HttpRequest.newBuilder(URI.create(DEBIAN_POOL)).build(), HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(target);
                throw new IllegalStateException("promtool is not on the PATH; `apt-get download prometheus` said: "
                        + apt.output() + "; and " + DEBIAN_POOL + " answered " + response.statusCode());
            }
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading promtool", e);
        }
    }

    private static Path findDeb(Path tools) throws IOException {
        try (var files = Files.list(tools)) {
            return files.filter(p -> p.getFileName().toString().startsWith("prometheus_")
                            && p.getFileName().toString().endsWith(".deb"))
                    .findFirst()
                    .orElse(null);
        }
    }

    Result run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        return run(RepositoryFiles.root(), command);
    }

    private static Result run(Path workingDirectory, List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, output + "\n(timed out)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, command.getFirst() + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    record Result(int exitCode, String output) {}
}
