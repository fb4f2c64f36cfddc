package ai.sovereign.router.recovery;

import java.time.Instant;

import io.micronaut.serde.annotation.Serdeable;

/** A (server, model) the router will not use until {@code until}, and why. */
@Serdeable
public record Ban(String serverId, String model, String reason, Instant since, Instant until) {
}
