package ai.sovereign.ingestion.vector;

import java.nio.file.Files;

import ai.sovereign.ingestion.vector.embedded.LuceneVectorStore;

/** The {@link VectorStoreContract} on the embedded adapter, in a fresh index directory per test. */
class LuceneVectorStoreContractTest extends VectorStoreContract {

    @Override
    protected VectorStore newStore() throws Exception {
        return new LuceneVectorStore(Files.createTempDirectory("vector-contract"), "chunks_contract", DIMENSIONS);
    }
}
