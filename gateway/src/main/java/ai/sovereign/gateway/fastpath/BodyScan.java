package ai.sovereign.gateway.fastpath;

import ai.sovereign.gateway.json.JsonBodies;
import io.micronaut.core.annotation.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The fast path's check of an OpenAI request body with a streaming parser (no tree): the fields the gateway relies on,
 * judged as {@code OpenAiRequests} judges them on the parsed tree (a repeated field counts by its last occurrence, as
 * in the tree). It only ever says "valid, and these are the values" or "don't know" (null): anything unusual — not
 * plain ASCII, a parse error, trailing content, any field that the ordinary checks would refuse, or a stream whose
 * {@code stream_options} would have to be rewritten — is left to the ordinary path, which parses the tree.
 */
final class BodyScan {

    /** Which request: the field that must be there besides {@code model}. */
    enum Kind {
        CHAT,
        COMPLETION,
        EMBEDDING
    }

    /** What the gateway needs from a valid body. */
    record Fields(String model, boolean stream, boolean wantsUsage, boolean hasStreamOptions) {}

    private BodyScan() {}

    static @Nullable Fields scan(byte[] body, Kind kind) {
        if (body.length == 0 || !ascii(body)) {
            return null;
        }
        try (JsonParser parser = JsonBodies.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String model = null;
            boolean modelSeen = false;
            boolean contentOk = false; // messages / prompt / input, by its last occurrence
            Boolean stream = null;
            boolean streamBad = false;
            boolean hasOptions = false;
            boolean wantsUsage = false;
            boolean optionsBad = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "model" -> {
                        modelSeen = true;
                        model = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                        if (model != null && ai.sovereign.gateway.json.JsonBodies.modelTooLong(model)) {
                            model = null; // the ordinary path answers the 400
                        }
                        parser.skipChildren();
                    }
                    case "stream" -> {
                        streamBad = !(value == JsonToken.VALUE_TRUE
                                || value == JsonToken.VALUE_FALSE
                                || value == JsonToken.VALUE_NULL);
                        stream = value == JsonToken.VALUE_TRUE
                                ? Boolean.TRUE
                                : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                        parser.skipChildren();
                    }
                    case "stream_options" -> {
                        hasOptions = true; // even null: the tree would have the key, and splicing would repeat it
                        wantsUsage = false;
                        optionsBad = false;
                        if (value == JsonToken.START_OBJECT) {
                            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                                String option = parser.currentName();
                                JsonToken v = parser.nextToken();
                                if ("include_usage".equals(option)) {
                                    optionsBad = !(v == JsonToken.VALUE_TRUE
                                            || v == JsonToken.VALUE_FALSE
                                            || v == JsonToken.VALUE_NULL);
                                    wantsUsage = v == JsonToken.VALUE_TRUE;
                                }
                                parser.skipChildren();
                            }
                        } else if (value != JsonToken.VALUE_NULL) {
                            optionsBad = true;
                            parser.skipChildren();
                        }
                    }
                    case "messages" -> {
                        if (kind == Kind.CHAT) {
                            contentOk = messages(parser, value);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    case "prompt" -> {
                        if (kind == Kind.COMPLETION) {
                            contentOk = value == JsonToken.VALUE_STRING || value == JsonToken.START_ARRAY;
                        }
                        parser.skipChildren();
                    }
                    case "input" -> {
                        if (kind == Kind.EMBEDDING) {
                            contentOk = value == JsonToken.VALUE_STRING || value == JsonToken.START_ARRAY;
                        }
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null; // not one object (trailing content): the ordinary path explains
            }
            if (!modelSeen || model == null || model.isBlank() || !contentOk || streamBad) {
                return null;
            }
            boolean streaming = stream != null && stream;
            if (kind == Kind.EMBEDDING) {
                if (streaming) {
                    return null;
                }
                // the ordinary path does not look at stream_options for embeddings
                return new Fields(model, false, wantsUsage && !optionsBad, hasOptions);
            }
            if (optionsBad) {
                return null;
            }
            if (streaming && hasOptions && !wantsUsage) {
                return null; // the router call needs stream_options rewritten: the ordinary path does that
            }
            return new Fields(model, streaming, wantsUsage, hasOptions);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** A non-empty array of objects, each with a string {@code role} (by its last occurrence in the message). */
    private static boolean messages(JsonParser parser, JsonToken value) {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return false;
        }
        int count = 0;
        boolean ok = true;
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            count++;
            if (element != JsonToken.START_OBJECT) {
                ok = false;
                parser.skipChildren();
                continue;
            }
            boolean role = false;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken v = parser.nextToken();
                if ("role".equals(field)) {
                    role = v == JsonToken.VALUE_STRING;
                }
                parser.skipChildren();
            }
            ok &= role;
        }
        return ok && count > 0;
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
