package ai.sovereign.gateway.upstream;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code gateway.token-ttl}: lifetime of the service token the gateway mints for the services it calls (at least 1 s;
 * one token per key is reused for half of it).
 */
@ConfigurationProperties("gateway")
public record UpstreamTokenSettings(
        @Bindable(defaultValue = "60s") Duration tokenTtl) {

    public UpstreamTokenSettings {
        if (tokenTtl.toSeconds() < 1) {
            throw new IllegalStateException("gateway.token-ttl must be at least 1s (got " + tokenTtl + ")");
        }
    }
}
