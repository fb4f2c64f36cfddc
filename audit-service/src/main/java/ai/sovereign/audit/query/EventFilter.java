package ai.sovereign.audit.query;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filters of the event query and export: exact matches on the indexed fields, {@code outcome} as one of
 * {@code SUCCESS|FAILURE|DENIED} (any case), and {@code from} (inclusive) / {@code to} (exclusive) on the event time.
 * Values only ever travel as bind parameters.
 */
public record EventFilter(
        @Nullable String actor,
        @Nullable String tenant,
        @Nullable String action,
        @Nullable String resourceType,
        @Nullable String resourceId,
        @Nullable String outcome,
        @Nullable String source,
        @Nullable String requestId,
        @Nullable Instant from,
        @Nullable Instant to) {

    /** The query parameter names of the filters. */
    public static final Set<String> PARAMETERS = Set.of(
            "actor",
            "tenant",
            "action",
            "resource_type",
            "resource_id",
            "outcome",
            "source",
            "request_id",
            "from",
            "to");

    public static EventFilter parse(QueryParams params) {
        var from = params.instant("from");
        var to = params.instant("to");
        QueryParams.requireOrdered(from, to);
        String outcome = params.text("outcome").map(EventFilter::outcome).orElse(null);
        return new EventFilter(
                params.text("actor").orElse(null),
                params.text("tenant").orElse(null),
                params.text("action").orElse(null),
                params.text("resource_type").orElse(null),
                params.text("resource_id").orElse(null),
                outcome,
                params.text("source").orElse(null),
                params.text("request_id").orElse(null),
                from.orElse(null),
                to.orElse(null));
    }

    private static String outcome(String value) {
        try {
            return AuditEvent.Outcome.valueOf(value.trim().toUpperCase(Locale.ROOT))
                    .name();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "outcome: must be one of SUCCESS, FAILURE, DENIED (got '" + QueryParams.shorten(value) + "')",
                    "outcome");
        }
    }

    /** Appends {@code AND column = ?} for each filter given (column names are fixed here) and adds the values. */
    void appendConditions(StringBuilder sql, List<Object> params) {
        List<Object[]> conditions = new ArrayList<>();
        conditions.add(new Object[] {"actor = ?", actor});
        conditions.add(new Object[] {"tenant = ?", tenant});
        conditions.add(new Object[] {"action = ?", action});
        conditions.add(new Object[] {"resource_type = ?", resourceType});
        conditions.add(new Object[] {"resource_id = ?", resourceId});
        conditions.add(new Object[] {"outcome = ?", outcome});
        conditions.add(new Object[] {"source = ?", source});
        conditions.add(new Object[] {"request_id = ?", requestId});
        conditions.add(new Object[] {"event_time >= ?", from});
        conditions.add(new Object[] {"event_time < ?", to});
        for (Object[] condition : conditions) {
            if (condition[1] != null) {
                sql.append(" AND ").append(condition[0]);
                params.add(condition[1]);
            }
        }
    }
}
