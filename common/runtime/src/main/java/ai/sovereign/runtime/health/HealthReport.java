package ai.sovereign.runtime.health;

import java.util.Map;

import io.micronaut.serde.annotation.Serdeable;

/** The body of {@code GET /health}. */
@Serdeable
public record HealthReport(HealthResult.Status status, String service, long uptimeSeconds,
                           Map<String, HealthResult> components) {
}
