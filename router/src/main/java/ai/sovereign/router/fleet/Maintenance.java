package ai.sovereign.router.fleet;

import java.time.Instant;

/** A server taken out of routing by an operator, and why. */
public record Maintenance(String reason, String by, Instant since) {}
