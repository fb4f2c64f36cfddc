package ai.sovereign.backup.testsupport;

import java.io.IOException;
import java.io.InputStream;

/**
 * For benchmarks and tests: a vector store the {@code vectors} component of a {@link ComponentBackup} backs up and
 * restores, in place of the ingestion service's export/import endpoints the service calls over HTTP (the
 * {@code VectorSource} port; NDJSON contract in docs/backup.md).
 */
public interface VectorEndpoint {

    /** An NDJSON stream of every vector, one object per line; the caller closes it. */
    InputStream export() throws IOException;

    /** Replaces the store's content with the NDJSON stream; returns the number of vectors imported. */
    long replaceAll(InputStream ndjson) throws IOException;

    /** What the store is, recorded in the component's manifest. */
    String describe();
}
