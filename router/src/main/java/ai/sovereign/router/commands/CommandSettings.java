package ai.sovereign.router.commands;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Fleet command settings.
 *
 * @param resultsGroup   {@code router.commands.results-group}: the Kafka consumer group that reads
 *                       {@code fleet.command-results.v1} (replicas share it, so each answer is recorded once)
 * @param publishTimeout {@code router.commands.publish-timeout}: how long a request waits for Kafka to take a command
 *                       before it answers 503
 */
@ConfigurationProperties("router.commands")
public record CommandSettings(
        @Bindable(defaultValue = "router-command-results") String resultsGroup,
        @Bindable(defaultValue = "5s") Duration publishTimeout) {

    public CommandSettings {
        if (resultsGroup == null || resultsGroup.isBlank()) {
            throw new IllegalArgumentException(
                    "router.commands.results-group must name a Kafka consumer group (got an empty value)");
        }
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "router.commands.publish-timeout must be positive (got " + publishTimeout + ")");
        }
    }
}
