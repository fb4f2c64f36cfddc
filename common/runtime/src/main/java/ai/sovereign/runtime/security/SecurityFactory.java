package ai.sovereign.runtime.security;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The service's token codec, on the platform secret and the system clock. */
@Factory
public class SecurityFactory {

    @Singleton
    ServiceTokenCodec serviceTokenCodec(SecuritySettings settings) {
        return new ServiceTokenCodec(settings.secret(), Clock.systemUTC());
    }
}
