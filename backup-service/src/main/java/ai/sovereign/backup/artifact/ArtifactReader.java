package ai.sovereign.backup.artifact;

import ai.sovereign.backup.target.BackupTarget;
import com.github.luben.zstd.ZstdInputStream;
import io.micronaut.serde.annotation.Serdeable;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Reads the files of one run back: checksum checks against the manifest, and decrypted, decompressed streams. */
public final class ArtifactReader {

    private final BackupTarget target;
    private final String location;
    private final Manifest manifest;
    private final Optional<FileCipher> encryption;

    public ArtifactReader(BackupTarget target, String location, Manifest manifest, Optional<FileCipher> encryption) {
        this.target = target;
        this.location = location;
        this.manifest = manifest;
        this.encryption = encryption;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Problem found with one stored file. */
    @Serdeable
    public record FileProblem(String file, String problem) {}

    /** Reads every file of {@code components} and compares size and SHA-256 with the manifest; empty when all match. */
    public List<FileProblem> checkFiles(List<String> components) {
        List<FileProblem> problems = new ArrayList<>();
        for (FileEntry entry : manifest.files()) {
            if (!components.contains(entry.component())) {
                continue;
            }
            try {
                long size = target.size(location, entry.name());
                if (size < 0) {
                    problems.add(new FileProblem(entry.name(), "missing"));
                    continue;
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = target.open(location, entry.name())) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (size != entry.size()) {
                    problems.add(new FileProblem(
                            entry.name(), "size is " + size + " bytes, the manifest says " + entry.size()));
                } else if (!actual.equals(entry.sha256())) {
                    problems.add(new FileProblem(
                            entry.name(), "SHA-256 is " + actual + ", the manifest says " + entry.sha256()));
                }
            } catch (IOException e) {
                problems.add(new FileProblem(entry.name(), "unreadable: " + e.getMessage()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return problems;
    }

    /** The plain content of a data file by its logical name (as the component wrote it). */
    public InputStream open(String logicalName) throws IOException {
        boolean encrypted = manifest.encryption() != null;
        if (encrypted && encryption.isEmpty()) {
            throw new IOException("backup " + manifest.runId() + " is encrypted (key "
                    + manifest.encryption().get("key_id") + ") and no backup.encryption.key is configured");
        }
        if (encrypted && !encryption.get().keyId().equals(manifest.encryption().get("key_id"))) {
            throw new IOException("backup " + manifest.runId() + " was encrypted with key "
                    + manifest.encryption().get("key_id") + ", the configured key is "
                    + encryption.get().keyId());
        }
        String stored = ArtifactWriter.storedName(logicalName, encrypted);
        InputStream raw = new BufferedInputStream(target.open(location, stored), 1 << 16);
        InputStream plain = encrypted ? encryption.get().decrypting(raw, manifest.runId(), stored) : raw;
        return new NamingFailures(new BufferedInputStream(new ZstdInputStream(plain), 1 << 16), stored);
    }

    /** Read failures (a failed authentication tag, a broken zstd frame) name the file they happened in. */
    private static final class NamingFailures extends FilterInputStream {
        private final String file;

        NamingFailures(InputStream in, String file) {
            super(in);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }

        private IOException named(IOException e) {
            return new IOException(
                    file + ": cannot be read (wrong key, or the file was changed, cut short or taken from another"
                            + " backup): " + e.getMessage(),
                    e);
        }
    }
}
