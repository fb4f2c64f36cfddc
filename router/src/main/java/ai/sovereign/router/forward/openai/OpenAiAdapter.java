package ai.sovereign.router.forward.openai;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.forward.BackendAdapter;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.StreamTranslator;
import ai.sovereign.router.forward.UpstreamErrors;
import ai.sovereign.router.forward.UsageTally;
import jakarta.inject.Singleton;
import tools.jackson.databind.JsonNode;
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
    public HttpRequest toUpstream(ServerSpec server, InferenceRequest request, String requestId, Duration timeout) {
        byte[] body = request.rawBody();
        if (request.stream() && !request.includeUsage()) {
            ObjectNode copy = request.body().deepCopy();
            copy.putObject("stream_options").put("include_usage", true);
            body = json.writeValueAsBytes(copy);
        }
        return HttpRequest.newBuilder(URI.create(server.url() + request.endpoint().path()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", request.stream() ? "text/event-stream" : "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    @Override
    public byte[] translateAnswer(InferenceRequest request, byte[] body, String requestId, UsageTally usage) {
        JsonNode answer = json.readTree(body);
        if (!answer.isObject()) {
            throw new IllegalStateException("the server's answer is not a JSON object");
        }
        JsonNode reported = answer.path("usage");
        if (reported.isObject()) {
            usage.report(reported.path("prompt_tokens").asInt(0), reported.path("completion_tokens").asInt(0));
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
