package ai.sovereign.audit.usage;

import ai.sovereign.audit.query.QueryParams;
import ai.sovereign.runtime.errors.ApiException;
import java.util.Arrays;
import java.util.Locale;

/** What the usage report groups by; each maps to a fixed SQL expression, never to text from the request. */
public enum UsageGrouping {
    KEY("key_id"),
    TENANT("tenant"),
    MODEL("model"),
    DAY("to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

    private final String expression;

    UsageGrouping(String expression) {
        this.expression = expression;
    }

    String expression() {
        return expression;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code key|tenant|model|day}, any case; a 400 naming {@code group_by} otherwise. */
    public static UsageGrouping parse(String value) {
        return Arrays.stream(values())
                .filter(g -> g.wireName().equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest(
                        "group_by: must be one of key, tenant, model, day (got '" + QueryParams.shorten(value) + "')",
                        "group_by"));
    }
}
