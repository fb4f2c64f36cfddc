package ai.sovereign.audit.export;

import ai.sovereign.audit.query.EventQuery;
import ai.sovereign.audit.store.StoredEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The export body as an {@link InputStream} that pulls rows from the database cursor only as the HTTP layer reads:
 * memory holds one chunk of formatted rows, whatever the size of the export. Closing it (at the end, or when the
 * client goes away) releases the connection.
 */
final class ExportStream extends InputStream {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final EventQuery.Stream rows;
    private final Function<StoredEvent, String> format;
    private byte[] chunk;
    private int position;
    private boolean exhausted;

    ExportStream(EventQuery.Stream rows, String header, Function<StoredEvent, String> format) {
        this.rows = rows;
        this.format = format;
        this.chunk = header.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position >= chunk.length) {
            if (exhausted || !fill()) {
                return -1;
            }
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, n);
        position += n;
        return n;
    }

    /** Formats the next rows into a chunk; false at the end (and the cursor is closed). */
    private boolean fill() throws IOException {
        StringBuilder text = new StringBuilder(CHUNK_BYTES + 4096);
        try {
            StoredEvent event;
            while (text.length() < CHUNK_BYTES && (event = rows.next()) != null) {
                text.append(format.apply(event));
            }
            if (text.isEmpty()) {
                exhausted = true;
                close();
                return false;
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw new IOException("export aborted: " + e.getMessage(), e);
        }
        chunk = text.toString().getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            rows.close();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
