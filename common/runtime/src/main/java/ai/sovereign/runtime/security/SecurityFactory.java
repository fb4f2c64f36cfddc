package ai.sovereign.runtime.security;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;

/** The service's token codec, on the platform secret, the system clock and the platform's JSON mapper. */
@Factory
public class SecurityFactory {

    @Singleton
    ServiceTokenCodec serviceTokenCodec(SecuritySettings settings, JsonMapper json) {
        return new ServiceTokenCodec(settings.secret(), Clock.systemUTC(), json);
    }
}
