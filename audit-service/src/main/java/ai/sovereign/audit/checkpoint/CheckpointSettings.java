package ai.sovereign.audit.checkpoint;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code audit.checkpoint.interval}: how often each chain that advanced gets a signed checkpoint. Changes to events
 * after the last checkpoint are only caught by the hash chain and the chain head, so this is the window in which a
 * database superuser could rewrite the newest events undetectably.
 */
@ConfigurationProperties("audit.checkpoint")
public record CheckpointSettings(
        @Bindable(defaultValue = "5m") Duration interval) {

    public CheckpointSettings {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("audit.checkpoint.interval must be positive (got " + interval + ")");
        }
    }
}
