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

    @Singleton
    JsonMapper jsonMapper() {
        return platformMapper();
    }

    /**
     * A mapper with the platform's settings, for the few places injection cannot reach: static holders used from
     * static code, and objects built outside an application context (tests, tools). Beans inject the singleton.
     */
    public static JsonMapper platformMapper() {
        return JsonMapper.builder().build();
    }
}
