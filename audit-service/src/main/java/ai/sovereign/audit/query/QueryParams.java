package ai.sovereign.audit.query;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpParameters;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads query parameters strictly: an unknown name, a repeated name, a malformed value or a value PostgreSQL could
 * not even compare (a NUL character) is a 400 naming the parameter, never a silently ignored filter or a 500.
 */
public final class QueryParams {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final HttpParameters parameters;

    private QueryParams(HttpParameters parameters) {
        this.parameters = parameters;
    }

    /** Wraps the request's parameters after checking that each is one of {@code known} and given once. */
    public static QueryParams of(HttpParameters parameters, Set<String> known) {
        for (String name : parameters.names()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest(
                        "unknown query parameter '" + shorten(name) + "'; this endpoint takes "
                                + String.join(", ", new TreeSet<>(known)),
                        shorten(name));
            }
            List<String> values = parameters.getAll(name);
            if (values.size() > 1) {
                throw ApiException.badRequest(name + ": given " + values.size() + " times; give it once", name);
            }
        }
        return new QueryParams(parameters);
    }

    /** The value of {@code name}, absent when missing or empty. */
    public Optional<String> text(String name) {
        String value = parameters.get(name);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.indexOf('\0') >= 0) {
            throw ApiException.badRequest(name + ": must not contain NUL characters", name);
        }
        return Optional.of(value);
    }

    /** An integer in {@code [min, max]}; larger values are capped at {@code max} when {@code capAtMax}. */
    public Optional<Integer> integer(String name, int min, int max, boolean capAtMax) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        long value;
        try {
            value = Long.parseLong(text.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": expected an integer (got '" + shorten(text.get()) + "')", name);
        }
        if (value > max && capAtMax) {
            return Optional.of(max);
        }
        if (value < min || value > max) {
            throw ApiException.badRequest(
                    name + ": must be between " + min + " and " + max + " (got " + value + ")", name);
        }
        return Optional.of((int) value);
    }

    /** An instant: RFC 3339 ({@code 2026-03-01T10:15:30Z}, any offset) or a date ({@code 2026-03-01}, UTC midnight). */
    public Optional<Instant> instant(String name) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get().trim();
        Instant instant;
        try {
            instant = value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    name + ": expected an RFC 3339 date-time like 2026-03-01T10:15:30Z or a date"
                            + " like 2026-03-01 (got '" + shorten(value) + "')",
                    name);
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest(name + ": must be within the years 1 to 9999 (got " + instant + ")", name);
        }
        return Optional.of(instant);
    }

    /** Checks that {@code from} is before {@code to} when both are given. */
    public static void requireOrdered(Optional<Instant> from, Optional<Instant> to) {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw ApiException.badRequest(
                    "to: must be after from (from " + from.get() + ", to " + to.get() + ")", "to");
        }
    }

    /** A value quoted back in an error message, cut to a readable length. */
    public static String shorten(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "… (" + value.length() + " characters)";
    }
}
