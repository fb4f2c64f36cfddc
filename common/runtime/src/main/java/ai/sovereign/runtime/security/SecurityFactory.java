package ai.sovereign.runtime.security;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * The service's token verifier (the platform's public keys, its callers' roles, its own name as the audience) and its
 * token signer (its own key; created only in services that call others, so the others need no key).
 */
@Factory
public class SecurityFactory {

    @Singleton
    ServiceTokenVerifier serviceTokenVerifier(
            SecuritySettings settings,
            @Value("${micronaut.application.name}") String service,
            @Value("${sovereign.security.max-token-lifetime:1h}") Duration maxTokenLifetime) {
        return new ServiceTokenVerifier(
                service,
                ServiceKeys.trustedKeys(settings),
                settings.callerRoles(),
                settings.devMode(),
                maxTokenLifetime,
                Clock.systemUTC());
    }

    @Singleton
    ServiceTokenSigner serviceTokenSigner(
            SecuritySettings settings, @Value("${micronaut.application.name}") String service) {
        return new ServiceTokenSigner(
                service, ServiceKeys.signingKey(settings, service), settings.calls(), Clock.systemUTC());
    }
}
