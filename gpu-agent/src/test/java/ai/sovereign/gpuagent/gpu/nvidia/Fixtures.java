package ai.sovereign.gpuagent.gpu.nvidia;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The nvidia-smi fixtures of src/test/resources/nvidia-smi, and stand-in nvidia-smi binaries that print them. */
public final class Fixtures {

    private Fixtures() {}

    public static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/nvidia-smi/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture nvidia-smi/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An executable in {@code dir} that prints fixture {@code name} and exits with {@code exitCode}. */
    public static Path fakeNvidiaSmi(Path dir, String name, int exitCode) {
        Path data = dir.resolve(name);
        write(data, text(name));
        return script(dir, "nvidia-smi-" + name + "-" + exitCode, "cat '" + data + "'\nexit " + exitCode + "\n");
    }

    /** An executable in {@code dir} that runs {@code body} under /bin/sh. */
    public static Path script(Path dir, String scriptName, String body) {
        Path script = dir.resolve(scriptName + ".sh");
        write(script, "#!/bin/sh\n" + body);
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
