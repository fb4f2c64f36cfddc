package ai.sovereign.runtime.outbox;

import ai.sovereign.runtime.errors.ErrorBody;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * While the outbox is full the service takes no new work: every request that may change something or cause an event
 * (anything but GET, HEAD and OPTIONS) gets 503 {@code outbox_full} with {@code Retry-After}, so that nothing is done
 * whose audit event or usage record would be lost. Reads, {@code /health} and {@code /metrics} still answer.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = Outbox.class)
public class OutboxFullFilter {

    private final Outbox outbox;

    public OutboxFullFilter(Outbox outbox) {
        this.outbox = outbox;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> refuseWhileFull(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (outbox.accepting()
                || method == HttpMethod.GET
                || method == HttpMethod.HEAD
                || method == HttpMethod.OPTIONS) {
            return null;
        }
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "30")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(new String(
                        ErrorBody.of(
                                        "this service's outbox is full: Kafka has not taken its events for a while;"
                                                + " nothing new is done until they are relayed (retry later)",
                                        "server_error",
                                        "outbox_full",
                                        null)
                                .toJson(),
                        java.nio.charset.StandardCharsets.UTF_8));
    }
}
