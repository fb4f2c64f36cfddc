package ai.sovereign.router.api;

import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.forward.ClientContext;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.InferenceRequestParser;
import ai.sovereign.router.forward.RequestForwarder;
import ai.sovereign.router.queue.Priority;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The data plane in the OpenAI dialect: chat, completions, embeddings, and the fleet's model list. The three POST
 * routes are normally served by the {@link InferenceFastPath} before a request reaches Micronaut; these methods serve
 * them when it hands a request on (pipelining behind a Micronaut answer, protected paths) or is turned off.
 */
@Controller
public class InferenceController {

    private final InferenceRequestParser parser;
    private final RequestForwarder forwarder;
    private final FleetRegistry fleet;
    private final ClientContexts clients;

    public InferenceController(
            InferenceRequestParser parser, RequestForwarder forwarder, FleetRegistry fleet, ClientContexts clients) {
        this.parser = parser;
        this.forwarder = forwarder;
        this.fleet = fleet;
        this.clients = clients;
    }

    @Post(
            uri = "/v1/chat/completions",
            consumes = MediaType.ALL,
            produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    Publisher<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return forward(Endpoint.CHAT, request, body);
    }

    @Post(
            uri = "/v1/completions",
            consumes = MediaType.ALL,
            produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    Publisher<MutableHttpResponse<?>> completions(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return forward(Endpoint.COMPLETIONS, request, body);
    }

    @Post(uri = "/v1/embeddings", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Publisher<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return forward(Endpoint.EMBEDDINGS, request, body);
    }

    /** OpenAI's model list. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ModelList(String object, List<Model> data) {}

    /** OpenAI's model object, with the ids of the servers holding the model. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Model(
            String id,
            String object,
            long created,
            @JsonProperty("owned_by") String ownedBy,
            List<String> servers) {}

    /** The union of the fleet's models, each with the servers holding it. */
    @Get(uri = "/v1/models", produces = MediaType.APPLICATION_JSON)
    ModelList models() {
        long created = Instant.now().getEpochSecond();
        List<Model> data = fleet.modelIndex().entrySet().stream()
                .map(e -> new Model(e.getKey(), "model", created, "sovereign-router", e.getValue()))
                .toList();
        return new ModelList("list", data);
    }

    private Publisher<MutableHttpResponse<?>> forward(Endpoint endpoint, HttpRequest<?> http, byte[] body) {
        InferenceRequest request =
                parser.parse(endpoint, body, Priority.parse(http.getHeaders().get(Priority.HEADER)));
        InferenceFastPath.requireKnown(fleet, request);
        ClientContext client = client(http);
        if (request.stream()) {
            return Mono.just(HttpResponse.ok(forwarder.stream(request, client))
                    .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                    .header("Cache-Control", "no-cache"));
        }
        return Mono.fromFuture(() -> forwarder.answer(request, client))
                .map(answer -> HttpResponse.ok(answer).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    /** The key id and tenant of the request's verified service token. */
    private ClientContext client(HttpRequest<?> http) {
        return clients.of(http.getPath(), name -> http.getHeaders().get(name), RequestIdFilter.of(http));
    }
}
