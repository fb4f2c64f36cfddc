package ai.sovereign.audit.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of {@code GET /api/v1/audit/events}: the events, newest first, and the cursor of the next page
 * ({@code null} on the last one).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventPage(
        List<EventView> data,
        @JsonProperty("next_cursor") @Nullable String nextCursor) {}
