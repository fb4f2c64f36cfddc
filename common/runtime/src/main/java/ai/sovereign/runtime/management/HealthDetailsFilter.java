package ai.sovereign.runtime.management;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.management.health.indicator.HealthResult;

/**
 * {@code GET /health} without the management token ({@link ManagementAccess}): the service's name and status (and
 * the HTTP status that goes with it) only; the details, which name every dependency's address and error, stay with
 * those who hold the token.
 */
@ServerFilter({"/health", "/health/**"})
public class HealthDetailsFilter {

    private final ManagementAccess access;

    public HealthDetailsFilter(ManagementAccess access) {
        this.access = access;
    }

    @ResponseFilter
    public void hideDetails(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.body() instanceof HealthResult result && !access.allows(request)) {
            response.body(
                    HealthResult.builder(result.getName(), result.getStatus()).build());
        }
    }
}
