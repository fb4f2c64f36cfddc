package ai.sovereign.ingestion.vector;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code ingestion.vector-store.provider}: {@code embedded} (default; Lucene HNSW under {@code ingestion.data-dir}) or
 * {@code milvus} ({@code ingestion.vector-store.milvus-uri}, optional {@code milvus-token}, {@code milvus-database}).
 */
@ConfigurationProperties("ingestion.vector-store")
public record VectorStoreSettings(
        @Bindable(defaultValue = "embedded") String provider,
        @Bindable(defaultValue = "http://localhost:19530") String milvusUri,
        @Nullable String milvusToken,
        @Bindable(defaultValue = "default") String milvusDatabase) {

    public VectorStoreSettings {
        if (!provider.equals("embedded") && !provider.equals("milvus")) {
            throw new IllegalArgumentException(
                    "ingestion.vector-store.provider must be embedded or milvus (got " + provider + ")");
        }
    }
}
