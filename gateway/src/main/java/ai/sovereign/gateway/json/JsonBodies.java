package ai.sovereign.gateway.json;

import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.json.JsonMapperFactory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reads client request bodies as JSON objects, turning every way they can be wrong into a 400 that says how. */
public final class JsonBodies {

    /**
     * The platform's mapper settings for the gateway's static JSON code (the OpenAI/Ollama request and answer
     * translations, key specs), which is called from static methods across the dialects and cannot be injected;
     * thread-safe.
     */
    public static final JsonMapper MAPPER = JsonMapperFactory.platformMapper();

    private JsonBodies() {}

    /** The body as a JSON object; 400 when it is empty, not UTF-8, not JSON or not an object. */
    public static ObjectNode parseObject(@Nullable byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("request body is empty; send a JSON object", null);
        }
        try {
            if (!ascii(body)) { // plain ASCII (the usual body) is valid UTF-8 without decoding it
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body));
            }
        } catch (CharacterCodingException e) {
            throw invalid("request body is not valid UTF-8", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw invalid("request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (node == null || !node.isObject()) {
            throw invalid("request body must be a JSON object", null);
        }
        return (ObjectNode) node;
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** A required non-empty string field. */
    public static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw invalid("'" + field + "' is required", field);
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            throw invalid("'" + field + "' must be a non-empty string", field);
        }
        return value.stringValue();
    }

    /** The longest model name the gateway accepts, in UTF-8 bytes. */
    public static final int MAX_MODEL_BYTES = 256;

    /** Whether {@code model} is longer than {@value #MAX_MODEL_BYTES} UTF-8 bytes. */
    public static boolean modelTooLong(String model) {
        return model.length() > MAX_MODEL_BYTES
                || model.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_MODEL_BYTES;
    }

    /**
     * The model a request names in {@code field}: a non-empty string of at most {@value #MAX_MODEL_BYTES} UTF-8 bytes
     * (400 otherwise, before any policy, metric or upstream sees it).
     */
    public static String modelName(JsonNode body, String field) {
        String model = requiredString(body, field);
        if (modelTooLong(model)) {
            throw invalid("'" + field + "' is longer than " + MAX_MODEL_BYTES + " bytes", field);
        }
        return model;
    }

    /** An optional boolean field; {@code fallback} when absent or null. */
    public static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid("'" + field + "' must be true or false", field);
        }
        return value.booleanValue();
    }

    public static ApiException invalid(String message, @Nullable String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, message, "invalid_request", param);
    }

    public static byte[] write(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }
}
