package ai.sovereign.runtime.json;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's one Jackson mapper ({@code tools.jackson}), a singleton every service injects where it reads or
 * writes JSON itself (Micronaut's own answers go through micronaut-serde, not through this). Its settings are
 * Jackson 3's defaults: the ones every service's private mapper had.
 */
@Factory
public class JsonMapperFactory {

    /** Jackson 3 mappers are immutable and thread-safe, so one instance serves the beans and the static holders. */
    private static final JsonMapper PLATFORM = JsonMapper.builder().build();

    @Singleton
    JsonMapper jsonMapper() {
        return PLATFORM;
    }

    /**
     * The platform's mapper, for the few places injection cannot reach: static holders used from
     * static code, and objects built outside an application context (tests, tools). Beans inject the singleton.
     */
    public static JsonMapper platformMapper() {
        return PLATFORM;
    }
}
