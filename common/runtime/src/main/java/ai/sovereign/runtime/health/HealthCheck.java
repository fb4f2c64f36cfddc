package ai.sovereign.runtime.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One dependency's health, a component of micronaut-management's {@code GET /health} (HTTP 503 when any is DOWN).
 * An implementation writes a plain blocking {@link #check()}; this interface runs it off the event loop and turns a
 * thrown exception into DOWN with the error as its detail.
 */
public interface HealthCheck extends HealthIndicator {

    /** Component name in the health report: {@code postgres}, {@code kafka}, {@code neo4j}, ... */
    String name();

    /** Checks the dependency now; must return within a few seconds. */
    CheckResult check();

    @Override
    default Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::result).subscribeOn(Schedulers.boundedElastic());
    }

    private HealthResult result() {
        CheckResult result;
        try {
            result = check();
        } catch (RuntimeException e) {
            result = CheckResult.down(Map.of("error", String.valueOf(e.getMessage())));
        }
        return HealthResult.builder(name(), result.up() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(result.details())
                .build();
    }
}
