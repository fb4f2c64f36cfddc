package ai.sovereign.ingestion.vector.transfer;

import ai.sovereign.ingestion.vector.VectorRecord;
import java.io.InputStream;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The export body as an {@link InputStream} that pulls vectors from the store only as the HTTP layer reads: memory
 * holds one line at a time, whatever the size of the store. Closing it (at the end, or when the client goes away)
 * releases what the store's export holds.
 */
final class VectorExportStream extends InputStream {

    private final Stream<VectorRecord> records;
    private final Iterator<VectorRecord> iterator;
    private final String collection;
    private final VectorNdjson ndjson;
    private byte[] line = new byte[0];
    private int position;
    private boolean closed;

    VectorExportStream(Stream<VectorRecord> records, String collection, VectorNdjson ndjson) {
        this.records = records;
        this.iterator = records.iterator();
        this.collection = collection;
        this.ndjson = ndjson;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (position >= line.length) {
            if (closed || !iterator.hasNext()) {
                close();
                return -1;
            }
            line = ndjson.encode(collection, iterator.next());
            position = 0;
        }
        int n = Math.min(length, line.length - position);
        System.arraycopy(line, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            records.close();
        }
    }
}
