package ai.sovereign.router.commands;

import java.time.Duration;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Fleet command settings: {@code router.commands.results-group} is the Kafka consumer group that reads
 * {@code fleet.command-results.v1} (replicas share it, so each answer is recorded once); {@code
 * router.commands.publish-timeout} is how long a request waits for Kafka to take a command before it answers 503.
 */
@Singleton
public record CommandSettings(
        @Value("${router.commands.results-group:router-command-results}") String resultsGroup,
        @Value("${router.commands.publish-timeout:5s}") Duration publishTimeout) {

    public CommandSettings {
        if (resultsGroup.isBlank()) {
            throw new IllegalArgumentException("router.commands.results-group must name a Kafka consumer group (got an empty value)");
        }
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("router.commands.publish-timeout must be positive (got " + publishTimeout + ")");
        }
    }
}
