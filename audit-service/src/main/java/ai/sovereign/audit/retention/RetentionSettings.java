package ai.sovereign.audit.retention;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code audit.retention.*}: how long each kind of record is kept, in days (default 400, at least
 * {@value #MINIMUM_DAYS}). A monthly partition is removed once its whole month is older than that.
 *
 * @param eventsDays audit events ({@code ai.sovereign.audit.event.v1})
 * @param usageDays  usage records ({@code ai.sovereign.llm.usage.v1})
 */
@ConfigurationProperties("audit.retention")
public record RetentionSettings(
        @Bindable(defaultValue = "400") int eventsDays,
        @Bindable(defaultValue = "400") int usageDays) {

    public static final int MINIMUM_DAYS = 90;

    public RetentionSettings {
        if (eventsDays < MINIMUM_DAYS) {
            throw new IllegalArgumentException(
                    "audit.retention.events-days must be >= " + MINIMUM_DAYS + " (got " + eventsDays + ")");
        }
        if (usageDays < MINIMUM_DAYS) {
            throw new IllegalArgumentException(
                    "audit.retention.usage-days must be >= " + MINIMUM_DAYS + " (got " + usageDays + ")");
        }
    }

    int daysFor(String table) {
        return table.equals("events") ? eventsDays : usageDays;
    }
}
