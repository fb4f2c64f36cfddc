package ai.sovereign.runtime.health;

import java.util.Map;

/** What one {@link HealthCheck} found: {@code UP} or {@code DOWN} with details an operator can act on. */
public record CheckResult(boolean up, Map<String, Object> details) {

    public static CheckResult up(Map<String, Object> details) {
        return new CheckResult(true, details);
    }

    public static CheckResult down(Map<String, Object> details) {
        return new CheckResult(false, details);
    }
}
