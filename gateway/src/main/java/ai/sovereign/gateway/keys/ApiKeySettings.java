package ai.sovereign.gateway.keys;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code gateway.keys.*}, as configured; {@link KeySettings} is what the key service uses.
 *
 * @param secret   {@code gateway.keys.secret} ({@code GATEWAY_KEYS_SECRET}, 32+ bytes): the HMAC key for stored key
 *                 hashes; required outside dev mode
 * @param cacheTtl {@code gateway.keys.cache-ttl}: how long a looked-up key is trusted before the store is asked again;
 *                 also how long a revocation made on another replica can take to apply
 * @param staleIfError {@code gateway.keys.stale-if-error}: while PostgreSQL cannot be asked, a key that was looked up
 *                 before goes on being trusted for this long past its TTL (a revocation needs PostgreSQL too, so none
 *                 can be missed meanwhile); 0 answers 503 as soon as the entry expires
 */
@ConfigurationProperties("gateway.keys")
public record ApiKeySettings(
        @Nullable String secret,
        @Bindable(defaultValue = "5s") Duration cacheTtl,
        @Bindable(defaultValue = "10m") Duration staleIfError) {

    public ApiKeySettings {
        secret = secret == null ? "" : secret;
        if (!secret.isBlank() && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("gateway.keys.secret must be at least 32 bytes (got "
                    + secret.getBytes(StandardCharsets.UTF_8).length + ")");
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalStateException("gateway.keys.cache-ttl must be ≥ 0 (got " + cacheTtl + ")");
        }
        if (staleIfError == null) {
            staleIfError = Duration.ofMinutes(10);
        }
        if (staleIfError.isNegative()) {
            throw new IllegalStateException("gateway.keys.stale-if-error must be ≥ 0 (got " + staleIfError + ")");
        }
    }

    @Override
    public String toString() {
        return "ApiKeySettings[secret=" + (secret.isBlank() ? "none" : "(set)") + ", cacheTtl=" + cacheTtl
                + ", staleIfError=" + staleIfError + "]";
    }
}
