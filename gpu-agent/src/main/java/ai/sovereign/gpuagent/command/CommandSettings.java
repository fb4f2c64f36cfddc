package ai.sovereign.gpuagent.command;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Model lifecycle commands from {@code fleet.commands.v1}.
 *
 * @param enabled           whether the agent consumes commands at all
 * @param modelAllowPattern regular expression a model name must match in full, else the command is refused
 * @param maxAge            a command requested longer ago than this is refused as expired (e.g. after an outage)
 * @param progressInterval  at most one pull progress result per command per interval (status changes always go out)
 */
@ConfigurationProperties("gpu-agent.commands")
public record CommandSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = ".*") @NotBlank String modelAllowPattern,
        @Bindable(defaultValue = "15m") @NotNull Duration maxAge,
        @Bindable(defaultValue = "1s") @NotNull Duration progressInterval) {

    public CommandSettings {
        try {
            Pattern.compile(modelAllowPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "gpu-agent.commands.model-allow-pattern is not a regular expression (got \"" + modelAllowPattern
                            + "\"): " + e.getDescription(),
                    e);
        }
    }

    public Pattern allowPattern() {
        return Pattern.compile(modelAllowPattern);
    }
}
