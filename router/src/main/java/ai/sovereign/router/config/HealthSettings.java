package ai.sovereign.router.config;

/**
 * Health checks and model discovery of every server.
 *
 * @param intervalMs time between checks of one server
 * @param timeoutMs  a check that takes longer fails
 */
public record HealthSettings(long intervalMs, long timeoutMs) {

    public static HealthSettings defaults() {
        return new HealthSettings(10_000, 3_000);
    }
}
