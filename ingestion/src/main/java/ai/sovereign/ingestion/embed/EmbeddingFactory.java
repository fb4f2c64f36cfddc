package ai.sovereign.ingestion.embed;

import ai.sovereign.ingestion.chunk.Chunker;
import ai.sovereign.ingestion.chunk.ChunkingSettings;
import ai.sovereign.ingestion.chunk.TokenCounter;
import ai.sovereign.ingestion.embed.onnx.MiniLmEmbedder;
import ai.sovereign.ingestion.embed.onnx.WordPieceTokenCounter;
import ai.sovereign.ingestion.embed.remote.RemoteEmbedder;
import ai.sovereign.ingestion.router.RouterSettings;
import ai.sovereign.ingestion.router.RouterTokens;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import tools.jackson.databind.json.JsonMapper;

/** The configured {@link Embedder}, the token counter the chunker uses and the chunker itself. */
@Factory
public class EmbeddingFactory {

    @Singleton
    Embedder embedder(EmbeddingSettings settings, RouterSettings router, RouterTokens tokens, JsonMapper json) {
        if (settings.provider().equals("remote")) {
            return new RemoteEmbedder(
                    router.url(),
                    settings.remoteModel(),
                    settings.remoteDimensions(),
                    () -> tokens.forTenant(RouterTokens.PLATFORM_TENANT),
                    settings.remoteToken(),
                    json);
        }
        return new MiniLmEmbedder(settings.effectiveOnnxThreads());
    }

    @Singleton
    TokenCounter tokenCounter() {
        return new WordPieceTokenCounter();
    }

    @Singleton
    Chunker chunker(ChunkingSettings settings, TokenCounter counter) {
        return new Chunker(settings, counter);
    }
}
