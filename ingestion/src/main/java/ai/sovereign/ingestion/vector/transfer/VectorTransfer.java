package ai.sovereign.ingestion.vector.transfer;

import ai.sovereign.ingestion.DataDirectory;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import ai.sovereign.ingestion.vector.embedded.LuceneVectorStore;
import ai.sovereign.runtime.errors.ApiException;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Export and import of every vector through the {@link VectorStore} port, for the backup-service. An import is
 * validated completely (spooled to a temporary file under the data directory) before the store is touched, so a bad
 * line anywhere answers 400 and changes nothing.
 */
@Singleton
public class VectorTransfer {

    private final VectorStore store;
    private final Path spool;
    private final VectorNdjson lineFormat;

    public VectorTransfer(VectorStore store, DataDirectory dataDirectory, JsonMapper json) {
        this.store = store;
        this.spool = dataDirectory.path().resolve("tmp");
        this.lineFormat = new VectorNdjson(json);
    }

    /** Every vector as NDJSON, read lazily; the caller closes it. */
    public InputStream export() {
        return new VectorExportStream(store.exportAll(), store.collection(), lineFormat);
    }

    /** Replaces the store's content with the NDJSON lines; returns how many vectors it now holds from them. */
    public long replaceAll(InputStream ndjson) {
        Path file = spoolValidated(ndjson);
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return store.replaceAll(new Decoded(lines));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the spooled import", e);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Verification by restore for the backup-service: the NDJSON lines (validated as for {@link #replaceAll}) go into
     * a scratch store — an embedded HNSW index of this collection in {@code <data-dir>/tmp/scratch-*}, never the
     * serving store — and its export is returned, read back from that index. Closing the stream (at its end, or when
     * the client goes away) closes and deletes the scratch index.
     */
    public InputStream restoreIntoScratch(InputStream ndjson) {
        Path file = spoolValidated(ndjson);
        Path dir = spool.resolve("scratch-" + UUID.randomUUID());
        LuceneVectorStore scratch = null;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            scratch = new LuceneVectorStore(dir, store.collection(), store.dimensions());
            scratch.replaceAll(new Decoded(lines));
            LuceneVectorStore opened = scratch;
            return new VectorExportStream(
                    scratch.exportAll().onClose(() -> drop(opened, dir)), store.collection(), lineFormat);
        } catch (IOException | RuntimeException e) {
            drop(scratch, dir);
            throw e instanceof IOException io
                    ? new UncheckedIOException("could not restore into a scratch store", io)
                    : (RuntimeException) e;
        } finally {
            deleteQuietly(file);
        }
    }

    private static void drop(LuceneVectorStore scratch, Path dir) {
        if (scratch != null) {
            scratch.close();
        }
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(VectorTransfer::deleteQuietly);
            } catch (IOException ignored) {
                // a leftover scratch folder in <data-dir>/tmp is harmless
            }
        }
    }

    private Path spoolValidated(InputStream ndjson) {
        Path file = null;
        try {
            Files.createDirectories(spool);
            file = Files.createTempFile(spool, "vectors-import-", ".ndjson");
            validateInto(ndjson, file);
            return file;
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("could not spool the import", e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file in <data-dir>/tmp is harmless
            }
        }
    }

    private void validateInto(InputStream ndjson, Path file) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(ndjson, StandardCharsets.UTF_8));
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lineFormat.decode(line, store.collection(), store.dimensions());
                } catch (VectorNdjson.InvalidLine e) {
                    throw ApiException.badRequest(
                            "line " + number + ": " + e.getMessage() + "; nothing was imported", "body");
                }
                out.write(line);
                out.newLine();
            }
        }
    }

    /** The spooled, already validated lines as records. */
    private final class Decoded implements Iterator<VectorRecord> {

        private final BufferedReader lines;
        private String next;

        Decoded(BufferedReader lines) {
            this.lines = lines;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null) {
                    String line = lines.readLine();
                    if (line == null) {
                        return false;
                    }
                    if (!line.isBlank()) {
                        next = line;
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public VectorRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = next;
            next = null;
            return lineFormat.decode(line, store.collection(), store.dimensions());
        }
    }
}
