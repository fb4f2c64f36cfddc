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
        putInstant(node, "expires_at", key.expiresAt());
        putInstant(node, "revoked_at", key.revokedAt());
        node.put("created_by", key.createdBy());
        putInstant(node, "created_at", key.createdAt());
        putInstant(node, "last_used_at", key.lastUsedAt());
        return node;
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
