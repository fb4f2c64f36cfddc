package ai.sovereign.backup.vectors;

import java.io.IOException;
import java.io.InputStream;

/**
 * The vector store as the backup sees it, whatever it is (Milvus, the embedded store): every vector with its fields
 * as NDJSON, one object per line {@code {"collection","id","vector":[...],"fields":{...}}}, and the reverse. The
 * store lives in the ingestion service; {@code http/} is the adapter for its export/import endpoints
 * (contract in docs/backup.md).
 */
public interface VectorSource {

    /** An NDJSON stream of every vector in every collection; the caller closes it. */
    InputStream export() throws IOException;

    /** Replaces the store's content with the NDJSON stream; returns the number of vectors imported. */
    long replaceAll(InputStream ndjson) throws IOException;

    /**
     * Imports the NDJSON stream into a scratch vector collection (never the serving one) and returns that collection's
     * export, read back from it; closing the returned stream drops the scratch collection. Verification by restore.
     */
    default InputStream restoreIntoScratch(InputStream ndjson) throws IOException {
        throw new UnsupportedOperationException(describe() + " has no scratch collection to restore into");
    }

    String describe();
}
