package ai.sovereign.runtime.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets on disk: written whole (a temporary file moved into place) and readable by their owner only. */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {}

    /** Writes {@code content} to {@code file} with mode 600 (where the file system has POSIX modes). */
    public static void write(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Creates {@code directory} (and its parents) and makes it mode 700 where the file system has POSIX modes: what is
     * written inside is the owner's alone, whatever the files' own modes.
     */
    public static void directory(Path directory) throws IOException {
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // no POSIX modes here (Windows): the platform's ACLs apply
        }
    }
}
