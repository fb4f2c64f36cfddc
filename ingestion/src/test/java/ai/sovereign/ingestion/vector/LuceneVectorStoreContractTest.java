package ai.sovereign.ingestion.vector;

import ai.sovereign.ingestion.vector.embedded.LuceneVectorStore;
import java.nio.file.Files;

/** The {@link VectorStoreContract} on the embedded adapter, in a fresh index directory per test. */
class LuceneVectorStoreContractTest extends VectorStoreContract {

    @Override
    protected VectorStore newStore() throws Exception {
        return new LuceneVectorStore(Files.createTempDirectory("vector-contract"), "chunks_contract", DIMENSIONS);
    }
}
