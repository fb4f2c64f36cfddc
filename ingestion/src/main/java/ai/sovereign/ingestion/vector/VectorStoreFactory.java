package ai.sovereign.ingestion.vector;

import ai.sovereign.ingestion.DataDirectory;
import ai.sovereign.ingestion.embed.Embedder;
import ai.sovereign.ingestion.vector.embedded.LuceneVectorStore;
import ai.sovereign.ingestion.vector.milvus.MilvusVectorStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The configured {@link VectorStore}: embedded Lucene under the data directory, or Milvus. */
@Factory
public class VectorStoreFactory {

    @Singleton
    @Bean(preDestroy = "close")
    VectorStore vectorStore(VectorStoreSettings settings, DataDirectory dataDirectory, Embedder embedder) {
        if (settings.provider().equals("milvus")) {
            return new MilvusVectorStore(
                    settings.milvusUri(),
                    settings.milvusToken(),
                    settings.milvusDatabase(),
                    embedder.model(),
                    embedder.dimensions());
        }
        Path index =
                dataDirectory.path().resolve("vectors").resolve(embedder.model().replaceAll("[^A-Za-z0-9_.-]", "_"));
        return new LuceneVectorStore(index, VectorStore.collectionFor(embedder.model()), embedder.dimensions());
    }
}
