package ai.sovereign.audit.query;

import ai.sovereign.audit.store.StoredEvent;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code GET /api/v1/audit/events}: events newest first, filtered, one page at a time ({@code limit} default
 * {@value #DEFAULT_LIMIT}, capped at {@value #MAX_LIMIT}; pass {@code next_cursor} back as {@code cursor}).
 */
@Controller("/api/v1/audit/events")
public class EventsController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> PARAMETERS;

    static {
        Set<String> names = new HashSet<>(EventFilter.PARAMETERS);
        names.add("limit");
        names.add("cursor");
        PARAMETERS = Set.copyOf(names);
    }

    private final EventQuery query;

    public EventsController(EventQuery query) {
        this.query = query;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> events(HttpRequest<?> request) throws SQLException {
        ServiceTokenFilter.caller(request).require(Role.AUDITOR, Role.ADMIN);
        QueryParams params = QueryParams.of(request.getParameters(), PARAMETERS);
        EventFilter filter = EventFilter.parse(params);
        int limit = params.integer("limit", 1, MAX_LIMIT, true).orElse(DEFAULT_LIMIT);
        EventCursor cursor = params.text("cursor").map(EventCursor::decode).orElse(null);
        EventQuery.Page page = query.page(filter, cursor, limit);
        EventPage body = new EventPage(page.events().stream().map(EventView::of).toList(), page.nextCursor());
        // written with the audit's own mapper, which keeps the details' decimals exact
        return HttpResponse.ok(StoredEvent.JSON.writeValueAsString(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
