package ai.sovereign.router.forward.openai;

import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.forward.BackendAdapter;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.StreamTranslator;
import ai.sovereign.router.forward.UpstreamErrors;
import ai.sovereign.router.forward.UpstreamRequest;
import ai.sovereign.router.forward.UsageTally;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI-compatible servers (vLLM, llama.cpp server, TGI, Ollama's /v1): the request goes through unchanged, except
 * that a stream always asks for the usage chunk, so that every streamed request is metered with the server's own
 * token counts; the router drops that chunk again when the client did not ask for it.
 */
@Singleton
public class OpenAiAdapter implements BackendAdapter {

    private final JsonMapper json;

    public OpenAiAdapter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public UpstreamRequest toUpstream(ServerSpec server, InferenceRequest request, String requestId, Duration timeout) {
        byte[] body = request.rawBody();
        if (request.stream() && !request.includeUsage()) {
            body = request.body().has("stream_options") ? withUsageOption(request) : spliceUsageOption(body);
        }
        return UpstreamRequest.post(
                URI.create(server.url() + request.endpoint().path()),
                Map.of(
                        "Content-Type",
                        "application/json",
                        "Accept",
                        request.stream() ? "text/event-stream" : "application/json",
                        "X-Request-Id",
                        requestId),
                body,
                timeout);
    }

    private static final byte[] INCLUDE_USAGE =
            "\"stream_options\":{\"include_usage\":true},".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private byte[] withUsageOption(InferenceRequest request) {
        ObjectNode copy = request.body().deepCopy();
        copy.putObject("stream_options").put("include_usage", true);
        return json.writeValueAsBytes(copy);
    }

    /**
     * The client's bytes with {@code "stream_options":{"include_usage":true},} after the object's opening brace, for
     * a body without {@code stream_options} (the object has members: {@code model} at least): no re-serialising.
     */
    static byte[] spliceUsageOption(byte[] raw) {
        int brace = 0;
        while (brace < raw.length && raw[brace] != '{') {
            brace++;
        }
        byte[] spliced = new byte[raw.length + INCLUDE_USAGE.length];
        System.arraycopy(raw, 0, spliced, 0, brace + 1);
        System.arraycopy(INCLUDE_USAGE, 0, spliced, brace + 1, INCLUDE_USAGE.length);
        System.arraycopy(raw, brace + 1, spliced, brace + 1 + INCLUDE_USAGE.length, raw.length - brace - 1);
        return spliced;
    }

    @Override
    public byte[] translateAnswer(InferenceRequest request, byte[] body, String requestId, UsageTally usage) {
        // A streaming read: the answer is checked to be one well-formed JSON object and its top-level usage is read,
        // without building a tree of the whole answer (which is passed on as it came).
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("the server's answer is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                    int prompt = 0;
                    int completion = 0;
                    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                        String field = parser.currentName();
                        boolean number = parser.nextToken().isNumeric();
                        if (number && "prompt_tokens".equals(field)) {
                            prompt = parser.getValueAsInt();
                        } else if (number && "completion_tokens".equals(field)) {
                            completion = parser.getValueAsInt();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    usage.report(prompt, completion);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalStateException("the server's answer has content after its JSON object");
            }
        }
        return body;
    }

    @Override
    public StreamTranslator streamTranslator(InferenceRequest request, String requestId) {
        return new OpenAiStreamTranslator(json, !request.includeUsage());
    }

    @Override
    public String errorMessage(byte[] body) {
        return UpstreamErrors.message(json, body);
    }
}
