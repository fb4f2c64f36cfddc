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

    /**
     * Deletes the raw bytes at {@code storagePath} when that path lies inside this store. A path outside it (or the
     * store itself) is refused with an {@link IllegalArgumentException}: a DELETE job on Kafka names its path, and
     * whoever can write that topic must not delete files anywhere else. Returns whether a file was deleted.
     */
    public boolean delete(String storagePath) {
        if (storagePath == null) {
            return false;
        }
        Path file = inside(storagePath);
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + storagePath, e);
        }
    }

    /** The raw bytes at {@code storagePath}, which must lie inside this store. */
    public byte[] read(String storagePath) throws IOException {
        return Files.readAllBytes(inside(storagePath));
    }

    private Path inside(String storagePath) {
        Path file;
        try {
            file = Path.of(storagePath).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a path: " + storagePath, e);
        }
        Path store = root.toAbsolutePath().normalize();
        if (!file.startsWith(store) || file.equals(store)) {
            throw new IllegalArgumentException(storagePath + " is outside the raw store " + store);
        }
        return file;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
