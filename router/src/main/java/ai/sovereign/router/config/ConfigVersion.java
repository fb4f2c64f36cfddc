package ai.sovereign.router.config;

import java.time.Instant;

/** One stored version of the routing configuration: who changed it, when and why. */
public record ConfigVersion(int version, RoutingConfig config, String author, String change, Instant createdAt) {}
