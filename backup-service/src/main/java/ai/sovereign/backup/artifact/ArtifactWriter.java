package ai.sovereign.backup.artifact;

import ai.sovereign.backup.target.BackupTarget;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Writes the data files of one run: each file is zstd-compressed, then (when a key is configured) encrypted with
 * {@link FileCipher} (bound to the run id and the file's name), and the SHA-256 and size of the bytes as stored are recorded for the manifest.
 */
public final class ArtifactWriter {

    private final BackupTarget target;
    private final String location;
    private final String runId;
    private final Optional<FileCipher> encryption;
    private final int level;
    private final List<FileEntry> files = Collections.synchronizedList(new ArrayList<>());

    public ArtifactWriter(
            BackupTarget target, String location, String runId, Optional<FileCipher> encryption, int level) {
        this.target = target;
        this.location = location;
        this.runId = runId;
        this.encryption = encryption;
        this.level = level;
    }

    /** Opens a data file of {@code component}; the stored name gets {@code .zst} (and {@code .enc}) appended. */
    public OutputStream create(String component, String logicalName) throws IOException {
        String stored = storedName(logicalName, encryption.isPresent());
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CountingOutputStream counted = new CountingOutputStream(target.create(location, stored));
        DigestOutputStream digested = new DigestOutputStream(counted, sha);
        OutputStream sealed = encryption.isPresent() ? encryption.get().encrypting(digested, runId, stored) : digested;
        ZstdOutputStream zstd = new ZstdOutputStream(sealed, level);
        // one zstd worker thread: compression overlaps with reading the source (COPY, Bolt) instead of following it
        zstd.setWorkers(1);
        return new FilterOutputStream(new BufferedOutputStream(zstd, 1 << 16)) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                super.close();
                files.add(new FileEntry(stored, component, HexFormat.of().formatHex(sha.digest()), counted.count));
            }
        };
    }

    public static String storedName(String logicalName, boolean encrypted) {
        return logicalName + ".zst" + (encrypted ? ".enc" : "");
    }

    public List<FileEntry> files() {
        synchronized (files) {
            return List.copyOf(files);
        }
    }

    public String location() {
        return location;
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
