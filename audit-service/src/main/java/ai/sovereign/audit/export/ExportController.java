package ai.sovereign.audit.export;

import ai.sovereign.audit.query.EventFilter;
import ai.sovereign.audit.query.EventQuery;
import ai.sovereign.audit.query.EventView;
import ai.sovereign.audit.query.QueryParams;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /api/v1/audit/export?format=jsonl|csv&…filters}: every matching event, newest first, streamed from a
 * database cursor. JSONL lines are the objects of {@code /events}; CSV has a header row and quotes every text field.
 */
@Controller("/api/v1/audit/export")
public class ExportController {

    private static final Set<String> PARAMETERS;

    static {
        Set<String> names = new HashSet<>(EventFilter.PARAMETERS);
        names.add("format");
        PARAMETERS = Set.copyOf(names);
    }

    private final EventQuery query;

    public ExportController(EventQuery query) {
        this.query = query;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public StreamedFile export(HttpRequest<?> request) throws SQLException {
        ServiceTokenFilter.caller(request).require(Role.AUDITOR, Role.ADMIN);
        QueryParams params = QueryParams.of(request.getParameters(), PARAMETERS);
        String format = params.text("format")
                .map(f -> f.trim().toLowerCase(Locale.ROOT))
                .orElse("jsonl");
        EventFilter filter = EventFilter.parse(params);
        return switch (format) {
            case "jsonl" ->
                new StreamedFile(
                                new ExportStream(query.stream(filter), "", e -> EventView.json(e) + "\n"),
                                MediaType.of("application/x-ndjson"))
                        .attach("audit-events.jsonl");
            case "csv" ->
                new StreamedFile(
                                new ExportStream(query.stream(filter), EventView.csvHeader(), EventView::csv),
                                MediaType.of("text/csv"))
                        .attach("audit-events.csv");
            default ->
                throw ApiException.badRequest(
                        "format: must be jsonl or csv (got '" + QueryParams.shorten(format) + "')", "format");
        };
    }
}
