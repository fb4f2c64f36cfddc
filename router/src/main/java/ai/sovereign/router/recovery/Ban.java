package ai.sovereign.router.recovery;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A (server, model) the router will not use until {@code until}, and why. */
@Serdeable
public record Ban(String serverId, String model, String reason, Instant since, Instant until) {}
