package ai.sovereign.router.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import ai.sovereign.router.balance.RoutingHint;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.forward.ClientContext;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.InferenceRequestParser;
import ai.sovereign.router.forward.RequestForwarder;
import ai.sovereign.router.queue.Priority;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** The data plane in the OpenAI dialect: chat, completions, embeddings, and the fleet's model list. */
@Controller
public class InferenceController {

    private final InferenceRequestParser parser;
    private final RequestForwarder forwarder;
    private final FleetRegistry fleet;
    private final ServiceTokenCodec tokens;

    public InferenceController(InferenceRequestParser parser, RequestForwarder forwarder, FleetRegistry fleet,
                               ServiceTokenCodec tokens) {
        this.parser = parser;
        this.forwarder = forwarder;
        this.fleet = fleet;
        this.tokens = tokens;
    }

    @Post(uri = "/v1/chat/completions", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    Publisher<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return forward(Endpoint.CHAT, request, body);
    }

    @Post(uri = "/v1/completions", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    Publisher<MutableHttpResponse<?>> completions(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return forward(Endpoint.COMPLETIONS, request, body);
    }

    @Post(uri = "/v1/embeddings", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Publisher<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return forward(Endpoint.EMBEDDINGS, request, body);
    }

    /** The union of the fleet's models, each with the servers holding it. */
    @Get(uri = "/v1/models", produces = MediaType.APPLICATION_JSON)
    Map<String, Object> models() {
        long created = Instant.now().getEpochSecond();
        List<Map<String, Object>> data = fleet.modelIndex().entrySet().stream()
                .map(e -> Map.<String, Object>of("id", e.getKey(), "object", "model", "created", created,
                        "owned_by", "sovereign-router", "servers", e.getValue()))
                .toList();
        return Map.of("object", "list", "data", data);
    }

    private Publisher<MutableHttpResponse<?>> forward(Endpoint endpoint, HttpRequest<?> http, byte[] body) {
        InferenceRequest request = parser.parse(endpoint, body, Priority.parse(http.getHeaders().get(Priority.HEADER)));
        if (!fleet.knows(request.model())) {
            var models = fleet.modelIndex().keySet();
            throw new ApiException(HttpStatus.NOT_FOUND, "model '" + request.model() + "' is not served by any server "
                    + "of the fleet; models: " + (models.isEmpty() ? "none" : String.join(", ", models)),
                    "model_not_found", "model");
        }
        ClientContext client = client(http);
        if (request.stream()) {
            return Mono.just(HttpResponse.ok(forwarder.stream(request, client))
                    .contentType(MediaType.TEXT_EVENT_STREAM_TYPE).header("Cache-Control", "no-cache"));
        }
        return Mono.fromFuture(() -> forwarder.answer(request, client))
                .map(answer -> HttpResponse.ok(answer).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    /**
     * Tokens verified already, until they expire: the gateway reuses one token per key for half its lifetime, so the
     * signature check and claim parsing are done once per token rather than once per request. Bounded.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Caller> verifiedTokens = new java.util.concurrent.ConcurrentHashMap<>();

    private Caller verified(String token) {
        Caller known = verifiedTokens.get(token);
        if (known != null && Instant.now().isBefore(known.expiresAt())) {
            return known;
        }
        Caller caller;
        try {
            caller = tokens.verify(token);
        } catch (RuntimeException e) {
            verifiedTokens.remove(token);
            throw new ApiException(HttpStatus.UNAUTHORIZED, e.getMessage(), "invalid_service_token", null);
        }
        if (verifiedTokens.size() >= 10_000) {
            verifiedTokens.clear();
        }
        verifiedTokens.put(token, caller);
        return caller;
    }

    /** The key id and tenant the gateway vouches for: its service token, else its headers. */
    private ClientContext client(HttpRequest<?> http) {
        String keyId = http.getHeaders().get(ClientContext.KEY_ID_HEADER);
        String tenant = http.getHeaders().get(ClientContext.TENANT_HEADER);
        String token = http.getHeaders().get(ServiceTokenFilter.TOKEN_HEADER);
        if (token != null && !token.isBlank()) {
            Caller caller = verified(token);
            keyId = caller.subject();
            tenant = caller.tenant();
        }
        String requestId = RequestIdFilter.of(http);
        return new ClientContext(requestId == null ? java.util.UUID.randomUUID().toString() : requestId,
                keyId == null || keyId.isBlank() ? ClientContext.ANONYMOUS : keyId,
                tenant == null || tenant.isBlank() ? ClientContext.ANONYMOUS : tenant, Instant.now(), System.nanoTime(),
                http.getHeaders().get(RoutingHint.SESSION_HEADER));
    }
}
