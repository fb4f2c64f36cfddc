package ai.sovereign.router.config;

/**
 * Analytics.
 *
 * @param windowMs how far back analytics/summary, server-performance and errors look
 */
public record MetricsSettings(long windowMs) {

    public static MetricsSettings defaults() {
        return new MetricsSettings(300_000);
    }
}
