package ai.sovereign.gateway.keys;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.runtime.security.Role;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * What an admin asks for when creating ({@link #forCreate}) or changing ({@link #forPatch}) a key, read from the
 * snake_case JSON body. In a patch an absent field means "unchanged" ({@code null} component) and a JSON
 * {@code null} means "remove the limit" ({@code Optional.empty()}).
 */
@SuppressWarnings("NullableOptional") // the limits are three-state on purpose: unchanged, removed, set (see above)
public record KeySpec(
        @Nullable String name,
        @Nullable String tenant,
        @Nullable Role role,
        @Nullable List<String> allowedModels,
        @Nullable Optional<Integer> rpm,
        @Nullable Optional<Integer> tpm,
        @Nullable Optional<Long> monthlyTokenBudget,
        @Nullable Optional<Integer> maxConcurrent,
        @Nullable Optional<Instant> expiresAt,
        @Nullable Optional<Integer> maxPriority) {

    public static KeySpec forCreate(JsonNode body) {
        KeySpec spec = read(body);
        if (spec.name == null) {
            throw JsonBodies.invalid("'name' is required", "name");
        }
        if (spec.tenant == null) {
            throw JsonBodies.invalid("'tenant' is required", "tenant");
        }
        return spec;
    }

    public static KeySpec forPatch(JsonNode body) {
        if (body.has("tenant")) {
            throw JsonBodies.invalid("'tenant' of a key cannot be changed; create a key in the other tenant", "tenant");
        }
        return read(body);
    }

    /** Applies this spec to {@code key}: the fields given here replace the key's. */
    public ApiKey applyTo(ApiKey key) {
        KeyLimits l = key.limits();
        KeyLimits limits = new KeyLimits(
                pick(rpm, l.rpm()),
                pick(tpm, l.tpm()),
                pick(monthlyTokenBudget, l.monthlyTokenBudget()),
                pick(maxConcurrent, l.maxConcurrent()),
                pick(maxPriority, l.maxPriority()));
        return new ApiKey(
                key.id(),
                name != null ? name : key.name(),
                key.tenant(),
                role != null ? role : key.role(),
                key.keyPrefix(),
                allowedModels != null ? allowedModels : key.allowedModels(),
                limits,
                pick(expiresAt, key.expiresAt()),
                key.revokedAt(),
                key.createdBy(),
                key.createdAt(),
                key.lastUsedAt());
    }

    private static <T> @Nullable T pick(@Nullable Optional<T> given, @Nullable T current) {
        return given == null ? current : given.orElse(null);
    }

    private static KeySpec read(JsonNode body) {
        for (String field : body.propertyNames()) {
            if (!List.of(
                            "name",
                            "tenant",
                            "role",
                            "allowed_models",
                            "rpm",
                            "tpm",
                            "monthly_token_budget",
                            "max_concurrent",
                            "max_priority",
                            "expires_at")
                    .contains(field)) {
                throw JsonBodies.invalid(
                        "unknown field '" + field + "'; known: name, tenant, role, allowed_models, rpm, "
                                + "tpm, monthly_token_budget, max_concurrent, max_priority, expires_at",
                        field);
            }
        }
        return new KeySpec(
                text(body, "name"),
                text(body, "tenant"),
                role(body),
                models(body),
                positive(body, "rpm", Long::intValue, Integer.MAX_VALUE),
                positive(body, "tpm", Long::intValue, Integer.MAX_VALUE),
                positive(body, "monthly_token_budget", n -> n, Long.MAX_VALUE),
                positive(body, "max_concurrent", Long::intValue, Integer.MAX_VALUE),
                expiry(body),
                priority(body));
    }

    /** {@code max_priority}: 0-9, or null for the role's default (9 for admin keys, 0 for the others). */
    private static @Nullable Optional<Integer> priority(JsonNode body) {
        JsonNode value = body.get("max_priority");
        if (value == null) {
            return null;
        }
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 9) {
            throw JsonBodies.invalid(
                    "'max_priority' must be an integer from 0 to 9, or null for the role's default", "max_priority");
        }
        return Optional.of(value.asInt());
    }

    private static @Nullable String text(JsonNode body, String field) {
        return body.has(field) ? JsonBodies.requiredString(body, field) : null;
    }

    private static @Nullable Role role(JsonNode body) {
        if (!body.has("role")) {
            return null;
        }
        String value = JsonBodies.requiredString(body, "role");
        return switch (value) {
            case "user" -> Role.USER;
            case "admin" -> Role.ADMIN;
            case "auditor" -> Role.AUDITOR;
            default -> throw JsonBodies.invalid("'role' must be user, admin or auditor (got '" + value + "')", "role");
        };
    }

    private static @Nullable List<String> models(JsonNode body) {
        JsonNode value = body.get("allowed_models");
        if (value == null) {
            return null;
        }
        if (!value.isArray() || value.isEmpty()) {
            throw JsonBodies.invalid(
                    "'allowed_models' must be a non-empty list of model names or glob patterns "
                            + "(\"*\" allows every model)",
                    "allowed_models");
        }
        List<String> models = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString() || item.stringValue().isBlank()) {
                throw JsonBodies.invalid("'allowed_models' entries must be non-empty strings", "allowed_models");
            }
            models.add(item.stringValue());
        }
        return models;
    }

    private static <T> @Nullable Optional<T> positive(
            JsonNode body, String field, Function<Long, T> convert, long max) {
        if (!body.has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.longValue() < 1
                || value.longValue() > max) {
            throw JsonBodies.invalid(
                    "'" + field + "' must be a whole number from 1 to " + max + ", or null for no limit (got " + value
                            + ")",
                    field);
        }
        return Optional.of(convert.apply(value.longValue()));
    }

    private static @Nullable Optional<Instant> expiry(JsonNode body) {
        if (!body.has("expires_at")) {
            return null;
        }
        JsonNode value = body.get("expires_at");
        if (value.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.isString() ? value.stringValue() : ""));
        } catch (DateTimeParseException e) {
            throw JsonBodies.invalid(
                    "'expires_at' must be an RFC 3339 instant such as 2027-01-31T00:00:00Z (got " + value + ")",
                    "expires_at");
        }
    }
}
