package ai.sovereign.audit.query;

import ai.sovereign.runtime.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Where a page of events ended, as the opaque {@code next_cursor}: the (event time, id) of its last event. */
record EventCursor(Instant time, UUID id) {

    String encode() {
        String plain = "e1|" + time + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static EventCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 3 || !parts[0].equals("e1")) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            Instant time = Instant.parse(parts[1]);
            if (time.isBefore(Instant.parse("0001-01-01T00:00:00Z"))
                    || time.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new IllegalArgumentException("time out of range");
            }
            return new EventCursor(time, UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "cursor: not a cursor this service issued; pass next_cursor from the previous" + " page unchanged",
                    "cursor");
        }
    }
}
