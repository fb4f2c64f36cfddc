package ai.sovereign.gateway.keys;

import ai.sovereign.gateway.json.JsonBodies;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The admin API's JSON view of a key (snake_case); the secret appears only in the create and rotate answers. */
public final class KeyJson {

    private KeyJson() {}

    public static ObjectNode of(ApiKey key) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        node.put("object", "api_key");
        node.put("id", key.idString());
        node.put("name", key.name());
        node.put("tenant", key.tenant());
        node.put("role", key.role().wireName());
        node.put("key_prefix", key.keyPrefix());
        ArrayNode models = node.putArray("allowed_models");
        key.allowedModels().forEach(models::add);
        putNumber(node, "rpm", key.limits().rpm());
        putNumber(node, "tpm", key.limits().tpm());
        putNumber(node, "monthly_token_budget", key.limits().monthlyTokenBudget());
        putNumber(node, "max_concurrent", key.limits().maxConcurrent());
        node.put("max_priority", key.limits().priorityCap(key.role()));
        putInstant(node, "expires_at", key.expiresAt());
        putInstant(node, "revoked_at", key.revokedAt());
        node.put("created_by", key.createdBy());
        putInstant(node, "created_at", key.createdAt());
        putInstant(node, "last_used_at", key.lastUsedAt());
        return node;
    }

    /**
     * What the audit trail records of a key: name, tenant, role, allowed models, limits and expiry, in the admin API's
     * field names; never the secret, its hash or its prefix.
     */
    public static java.util.Map<String, Object> policy(ApiKey key) {
        java.util.Map<String, Object> policy = new java.util.LinkedHashMap<>();
        policy.put("name", key.name());
        policy.put("tenant", key.tenant());
        policy.put("role", key.role().wireName());
        policy.put("allowed_models", java.util.List.copyOf(key.allowedModels()));
        policy.put("rpm", key.limits().rpm());
        policy.put("tpm", key.limits().tpm());
        policy.put("monthly_token_budget", key.limits().monthlyTokenBudget());
        policy.put("max_concurrent", key.limits().maxConcurrent());
        policy.put("max_priority", key.limits().priorityCap(key.role()));
        policy.put(
                "expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
        return policy;
    }

    /** Each field of {@link #policy} that differs between {@code before} and {@code after}: {"before": …, "after": …}. */
    public static java.util.Map<String, Object> changes(ApiKey before, ApiKey after) {
        return ai.sovereign.runtime.json.FieldChanges.between(policy(before), policy(after));
    }

    public static ObjectNode issued(KeyService.IssuedKey issued) {
        ObjectNode node = of(issued.key());
        node.put("key", issued.secret());
        return node;
    }

    private static void putNumber(ObjectNode node, String field, @Nullable Number value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.longValue());
        }
    }

    private static void putInstant(ObjectNode node, String field, @Nullable Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }
}
