package ai.sovereign.gateway.openai;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.proxy.Dialect;
import ai.sovereign.gateway.proxy.UsageTally;
import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.fastlane.SseFrames;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI dialect: the router's answers pass through unchanged, read only for their usage. In streams the usage
 * chunk the gateway asked for on the client's behalf is dropped when the client did not ask for it.
 */
public final class OpenAiDialect implements Dialect {

    public static final OpenAiDialect INSTANCE = new OpenAiDialect();
    private static final byte[] NOTHING = new byte[0];

    @Override
    public String streamContentType() {
        return "text/event-stream";
    }

    @Override
    public byte[] translateComplete(byte[] upstreamBody, UsageTally tally) {
        try {
            report(topLevelUsage(upstreamBody), tally);
        } catch (JacksonException e) {
            // not JSON: pass it on as it came; nothing to meter
        }
        return upstreamBody;
    }

    /** Records the usage of a whole successful answer held in {@code answer[0, length)} (the fast path's buffer). */
    public void meterComplete(byte[] answer, int length, UsageTally tally) {
        try {
            report(topLevelUsage(answer, length), tally);
        } catch (JacksonException e) {
            // not JSON: passed on as it came; nothing to meter
        }
    }

    static JsonNode topLevelUsage(byte[] answer) {
        return topLevelUsage(answer, answer.length);
    }

    /**
     * The top-level {@code usage} object of an answer, read with a streaming parser that skips everything else
     * (no tree of the whole answer is built); a missing node when there is none.
     */
    static JsonNode topLevelUsage(byte[] answer, int length) {
        try (JsonParser parser = JsonBodies.MAPPER.createParser(answer, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return MissingNode.getInstance();
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                    ObjectNode usage = JsonBodies.MAPPER.createObjectNode(); // its numbers (token counts)
                    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                        String field = parser.currentName();
                        if (parser.nextToken().isNumeric()) {
                            usage.put(field, parser.getValueAsLong());
                        } else {
                            parser.skipChildren();
                        }
                    }
                    return usage;
                }
                parser.skipChildren();
            }
            return MissingNode.getInstance();
        }
    }

    static void report(JsonNode usage, UsageTally tally) {
        if (usage.isObject()) {
            long prompt = usage.path("prompt_tokens").asLong(0);
            long completion = usage.has("completion_tokens")
                    ? usage.path("completion_tokens").asLong(0)
                    : Math.max(0, usage.path("total_tokens").asLong(0) - prompt);
            tally.report(prompt, completion);
        }
    }

    @Override
    public MutableHttpResponse<?> translateError(int status, byte[] upstreamBody, @Nullable String retryAfter) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(
                        upstreamBody.length > 0
                                ? upstreamBody
                                : ErrorBody.of(
                                                "router answered " + status,
                                                ErrorBody.typeFor(status),
                                                "upstream_error",
                                                null)
                                        .toJson());
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return response;
    }

    @Override
    public StreamTranslator newStream(UsageTally tally, boolean clientWantsUsage) {
        return new StreamTranslator() {
            private boolean dropBlank;

            @Override
            public byte[] onLine(String line) {
                if (line.isEmpty()) {
                    if (dropBlank) {
                        dropBlank = false;
                        return NOTHING;
                    }
                    return "\n".getBytes(StandardCharsets.UTF_8);
                }
                if (line.startsWith("data:")) {
                    String payload = line.substring(5).trim();
                    if (!payload.equals("[DONE]") && inspect(payload)) {
                        dropBlank = true;
                        return NOTHING;
                    }
                }
                return (line + "\n").getBytes(StandardCharsets.UTF_8);
            }

            /** Meters one chunk; true when it is the usage-only chunk the client did not ask for. */
            private boolean inspect(String payload) {
                if (!payload.contains("\"usage\"") && !payload.contains("tool_calls") && !payload.contains("\\")) {
                    // An ordinary token chunk (no usage, no tool call, no escapes to confuse a text search): metered
                    // without parsing, as this runs once per token of every stream.
                    if (nonEmpty(payload, "\"content\":\"") || nonEmpty(payload, "\"text\":\"")) {
                        tally.countChunk(System.nanoTime());
                    }
                    return false;
                }
                JsonNode chunk;
                try {
                    chunk = JsonBodies.MAPPER.readTree(payload);
                } catch (JacksonException e) {
                    return false;
                }
                JsonNode usage = chunk.path("usage");
                report(usage, tally);
                JsonNode choices = chunk.path("choices");
                for (JsonNode choice : choices) {
                    JsonNode delta = choice.path("delta");
                    String content = delta.path("content").isString()
                            ? delta.path("content").stringValue()
                            : "";
                    String text =
                            choice.path("text").isString() ? choice.path("text").stringValue() : "";
                    if (!content.isEmpty()
                            || !text.isEmpty()
                            || delta.path("tool_calls").isArray()) {
                        tally.countChunk(System.nanoTime());
                        break;
                    }
                }
                return usage.isObject() && choices.isArray() && choices.isEmpty() && !clientWantsUsage;
            }

            private static boolean nonEmpty(String payload, String field) {
                int at = payload.indexOf(field);
                return at >= 0 && at + field.length() < payload.length() && payload.charAt(at + field.length()) != '"';
            }

            @Override
            public byte[] onEnd() {
                return NOTHING;
            }

            @Override
            public byte[] onFailure(String message) {
                return SseFrames.error(message, "upstream_stream_error");
            }
        };
    }
}
