package ai.sovereign.audit.checkpoint;

import ai.sovereign.runtime.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Where a page of checkpoints ended: an opaque {@code next_cursor} for the client. */
record CheckpointCursor(Instant time, int chain, long seq) {

    String encode() {
        String plain = "c1|" + time + "|" + chain + "|" + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static CheckpointCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 4 || !parts[0].equals("c1")) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            Instant time = Instant.parse(parts[1]);
            if (time.isBefore(Instant.parse("0001-01-01T00:00:00Z"))
                    || time.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new IllegalArgumentException("time out of range");
            }
            return new CheckpointCursor(time, Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "cursor: not a cursor this service issued; pass next_cursor from the previous" + " page unchanged",
                    "cursor");
        }
    }
}
