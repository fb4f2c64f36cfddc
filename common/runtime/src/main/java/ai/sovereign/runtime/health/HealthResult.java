package ai.sovereign.runtime.health;

import java.util.Map;

import io.micronaut.serde.annotation.Serdeable;

/** The state of one component: {@code UP} or {@code DOWN} with details an operator can act on. */
@Serdeable
public record HealthResult(Status status, Map<String, Object> details) {

    /** Component states; DOWN makes the whole service report HTTP 503. */
    public enum Status { UP, DOWN }

    public static HealthResult up(Map<String, Object> details) {
        return new HealthResult(Status.UP, details);
    }

    public static HealthResult down(Map<String, Object> details) {
        return new HealthResult(Status.DOWN, details);
    }
}
