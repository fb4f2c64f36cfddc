package ai.sovereign.router.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import tools.jackson.databind.json.JsonMapper;

/**
 * The config document codec and files, on the platform's Jackson mapper (common/runtime's {@code JsonMapperFactory},
 * which the router uses for request bodies, backend answers and config documents too).
 */
@Factory
public class JsonFactory {

    @Singleton
    ConfigDocumentCodec configDocumentCodec(JsonMapper json) {
        return new ConfigDocumentCodec(json);
    }

    @Singleton
    ConfigFiles configFiles(RouterSettings settings, JsonMapper json) {
        return new ConfigFiles(java.nio.file.Path.of(settings.configDirectory()), json);
    }
}
