package ai.sovereign.ingestion.source;

import ai.sovereign.ingestion.DataDirectory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Raw uploads under {@code <data-dir>/raw/<tenant hash>/<source id>}: staged for the worker, kept while the source
 * exists (re-indexing, backups), removed with it.
 */
@Singleton
public class RawStore {

    private final Path root;

    public RawStore(DataDirectory dataDirectory) {
        this.root = dataDirectory.path().resolve("raw");
    }

    public Path write(String tenant, UUID sourceId, byte[] bytes) {
        Path dir = root.resolve(sha256(tenant.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        Path file = dir.resolve(sourceId.toString());
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, sourceId.toString(), ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store upload " + sourceId, e);
        }
    }

    public void delete(String storagePath) {
        if (storagePath == null) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of(storagePath));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + storagePath, e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
