package ai.sovereign.gpuagent.gpu.nvidia;

import ai.sovereign.gpuagent.gpu.GpuReading;
import ai.sovereign.gpuagent.gpu.GpuSource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the GPUs by running {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits}. A binary that is not
 * there, or "No devices were found", is {@code MISSING}; a non-zero exit, a timeout or output the parser does not
 * accept is {@code FAILED}, with the reason.
 */
public final class NvidiaSmiSource implements GpuSource {

    /** nvidia-smi's documented exit code for "no NVIDIA GPU found". */
    static final int EXIT_NO_DEVICE = 6;

    private static final int MAX_MESSAGE = 300;

    private final NvidiaSmiSettings settings;
    private final List<String> command;

    public NvidiaSmiSource(NvidiaSmiSettings settings) {
        this.settings = settings;
        this.command =
                List.of("--query-gpu=" + String.join(",", NvidiaSmiCsvParser.FIELDS), "--format=csv,noheader,nounits");
    }

    @Override
    public String name() {
        return "nvidia-smi";
    }

    @Override
    public GpuReading read() {
        Optional<Path> binary = resolve(settings.path());
        if (binary.isEmpty()) {
            return GpuReading.missing("nvidia-smi not found: " + settings.path()
                    + (settings.path().contains("/") ? " is not an executable file" : " is not on PATH")
                    + "; install the NVIDIA driver or set gpu-agent.nvidia-smi.path");
        }
        List<String> argv = new ArrayList<>();
        argv.add(binary.get().toString());
        argv.addAll(command);
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            return GpuReading.failed("could not start " + binary.get() + ": " + e.getMessage());
        }
        try {
            return await(process, binary.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return GpuReading.failed("interrupted while reading nvidia-smi");
        }
    }

    private GpuReading await(Process process, Path binary) throws InterruptedException {
        CompletableFuture<String> output = CompletableFuture.supplyAsync(
                () -> readAll(process.getInputStream()),
                runnable -> Thread.ofVirtual().name("nvidia-smi-output").start(runnable));
        Duration timeout = settings.timeout();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return GpuReading.failed(binary + " did not answer within " + timeout.toMillis()
                    + " ms (gpu-agent.nvidia-smi.timeout); the driver may be hung");
        }
        String text;
        try {
            text = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return GpuReading.failed("could not read the output of " + binary + ": " + e);
        }
        int exit = process.exitValue();
        if (exit != 0) {
            String message = firstLine(text);
            if (exit == EXIT_NO_DEVICE || message.contains("No devices were found")) {
                return GpuReading.missing("nvidia-smi found no GPU (exit " + exit + "): " + message);
            }
            return GpuReading.failed("nvidia-smi exited with code " + exit + ": " + message);
        }
        try {
            return GpuReading.ok(NvidiaSmiCsvParser.parse(text));
        } catch (NvidiaSmiFormatException | ArithmeticException e) {
            return GpuReading.failed("unexpected nvidia-smi output: " + truncate(e.getMessage()));
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return "(no output)";
        }
        int end = stripped.indexOf('\n');
        return truncate(end < 0 ? stripped : stripped.substring(0, end).strip());
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    /** The executable for {@code configured}: itself if it contains a separator, else the first match on PATH. */
    static Optional<Path> resolve(String configured) {
        if (configured.contains("/")) {
            Path path = Path.of(configured);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = System.getenv().getOrDefault("PATH", "");
        for (String dir : searchPath.split(File.pathSeparator, -1)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, configured);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
