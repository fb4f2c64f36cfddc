package ai.sovereign.router.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper the router uses for request bodies, backend answers and config documents. */
@Factory
public class JsonFactory {

    @Singleton
    JsonMapper jsonMapper() {
        return JsonMapper.builder().build();
    }

    @Singleton
    ConfigDocumentCodec configDocumentCodec(JsonMapper json) {
        return new ConfigDocumentCodec(json);
    }

    @Singleton
    ConfigFiles configFiles(RouterSettings settings, JsonMapper json) {
        return new ConfigFiles(java.nio.file.Path.of(settings.configDirectory()), json);
    }
}
