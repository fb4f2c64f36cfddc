package ai.sovereign.gateway.fastpath;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.ModelPolicy;
import ai.sovereign.gateway.auth.PriorityCap;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.keys.ApiKey;
import ai.sovereign.gateway.keys.KeyService;
import ai.sovereign.gateway.limits.KeyLimiter;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.gateway.openai.OpenAiRequests;
import ai.sovereign.gateway.proxy.InferenceForwarder;
import ai.sovereign.gateway.upstream.UpstreamClient;
import ai.sovereign.gateway.upstream.UpstreamSettings;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.fastlane.FastAnswer;
import ai.sovereign.runtime.fastlane.FastExchange;
import ai.sovereign.runtime.fastlane.FastRoute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.json.JsonMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's fast path for the common inference request, served in the Netty pipeline without Micronaut's request
 * pipeline (routing, filters, body binding, reactive response writing) by the common runtime's fast lane:
 * {@code POST /v1/chat/completions}, {@code /v1/completions} and {@code /v1/embeddings} with a small JSON body, a key
 * in the lookup cache, its month of usage in memory, a valid request for a model the key may use, and limits that
 * admit it. Such a request is authenticated, admitted, forwarded to the router (the client's bytes, as
 * {@link InferenceForwarder} sends them) and answered by a {@link RelayedAnswer}: whole, or streamed chunk by chunk;
 * tokens charged, metrics and request id as on the ordinary path.
 *
 * <p>Everything else — any refusal, error, first use of a key, another route, the Ollama dialect, anything unusual
 * about the request's framing — is handed to Micronaut unchanged, so those answers are the ordinary path's, audited
 * and counted there. {@code gateway.fast-path.enabled=false} turns the fast path off.
 */
@Singleton
@Requires(property = "gateway.fast-path.enabled", notEquals = "false")
public class FastPath implements FastRoute<FastPath.Endpoint> {

    /** Bodies up to this size (and {@code micronaut.server.max-request-size}) are collected by the fast path. */
    static final int MAX_BODY = 256 * 1024;

    /** One inference route the fast path serves. */
    record Endpoint(String path, BodyScan.Kind kind, Function<ObjectNode, String> validate, URI upstream) {}

    private final Map<String, Endpoint> endpoints;
    private final KeyService keys;
    private final KeyLimiter limiter;
    private final RelayedAnswer.Relay relay;
    private final int maxBody;
    private final Counter served;
    private final Counter passed;

    public FastPath(
            KeyService keys,
            KeyLimiter limiter,
            InferenceForwarder forwarder,
            UpstreamClient upstream,
            UpstreamSettings settings,
            GatewayMetrics metrics,
            MeterRegistry registry,
            JsonMapper serde,
            HttpServerConfiguration server) {
        this.keys = keys;
        this.limiter = limiter;
        this.relay = new RelayedAnswer.Relay(forwarder, upstream, metrics, serde);
        this.maxBody = (int) Math.min(MAX_BODY, server.getMaxRequestSize());
        this.endpoints = Map.of(
                "/v1/chat/completions",
                        new Endpoint(
                                "/v1/chat/completions",
                                BodyScan.Kind.CHAT,
                                OpenAiRequests::chat,
                                URI.create(settings.primaryRouter() + "/v1/chat/completions")),
                "/v1/completions",
                        new Endpoint(
                                "/v1/completions",
                                BodyScan.Kind.COMPLETION,
                                OpenAiRequests::completion,
                                URI.create(settings.primaryRouter() + "/v1/completions")),
                "/v1/embeddings",
                        new Endpoint(
                                "/v1/embeddings",
                                BodyScan.Kind.EMBEDDING,
                                OpenAiRequests::embedding,
                                URI.create(settings.primaryRouter() + "/v1/embeddings")));
        this.served = Counter.builder("gateway.fast.path")
                .tag("outcome", "served")
                .description("inference requests answered by the Netty fast path (served) or handed to the ordinary "
                        + "path after their body was read (passed: a refusal, an error or a key not yet cached)")
                .register(registry);
        this.passed = Counter.builder("gateway.fast.path")
                .tag("outcome", "passed")
                .description("inference requests answered by the Netty fast path (served) or handed to the ordinary "
                        + "path after their body was read (passed: a refusal, an error or a key not yet cached)")
                .register(registry);
    }

    /**
     * Claims {@code request} on its headers alone (the lane has checked its framing: HTTP/1.1, no Expect, no content
     * encoding): a POST to one of the inference routes, kept alive, a JSON body of known, small length, no transfer
     * encoding, a bearer key. Null otherwise (Micronaut serves it).
     */
    @Override
    public @Nullable Claim<Endpoint> claim(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return null;
        }
        Endpoint endpoint = endpoints.get(request.uri());
        if (endpoint == null) {
            return null;
        }
        HttpHeaders headers = request.headers();
        if (!HttpUtil.isKeepAlive(request) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null;
        }
        long length = contentLength(headers);
        if (length <= 0 || length > maxBody) {
            return null;
        }
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, "application/json", 0, 16)) {
            return null;
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return new Claim<>(endpoint, endpoint.path(), maxBody);
    }

    /** The single Content-Length, or -1 when absent, repeated or not a number. */
    private static long contentLength(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (values.size() != 1) {
            return -1;
        }
        try {
            return Long.parseLong(values.getFirst().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Serves the request when everything is in order, sending it on to the router; null when the ordinary path must
     * (nothing was consumed, counted or audited then).
     */
    @Override
    public @Nullable FastAnswer serve(Claim<Endpoint> claim, FastExchange exchange) {
        RelayedAnswer answer = admit(claim.target(), exchange);
        if (answer == null) {
            passed.increment();
            return null;
        }
        served.increment();
        answer.start();
        return answer;
    }

    private @Nullable RelayedAnswer admit(Endpoint endpoint, FastExchange exchange) {
        HttpHeaders headers = exchange.head().headers();
        ApiKey key = keys.cachedUsable(
                headers.get(HttpHeaderNames.AUTHORIZATION).substring(7).trim());
        if (key == null || !limiter.admitsWithoutBlocking(key)) {
            return null;
        }
        byte[] body = exchange.body();
        ObjectNode json;
        String model;
        boolean stream;
        boolean wantsUsage;
        BodyScan.Fields fields = BodyScan.scan(body, endpoint.kind());
        if (fields != null) {
            // checked without a tree; the tree is needed only to rewrite stream_options, which the scan leaves out
            json = JsonBodies.MAPPER.createObjectNode();
            model = fields.model();
            stream = fields.stream();
            wantsUsage = fields.wantsUsage();
        } else {
            try {
                json = JsonBodies.parseObject(body);
                model = endpoint.validate().apply(json);
                stream = JsonBodies.optionalBoolean(json, "stream", false);
                wantsUsage = OpenAiRequests.wantsUsage(json);
            } catch (ApiException e) {
                return null; // the ordinary path answers the 400
            }
        }
        if (!ModelPolicy.allows(key.allowedModels(), model)) {
            return null; // the ordinary path answers (and audits) the 403
        }
        String priority;
        try {
            priority = PriorityCap.applied(key, headers.get(UpstreamClient.PRIORITY_HEADER));
        } catch (ApiException e) {
            return null; // the ordinary path answers the 400
        }
        KeyContext caller = new KeyContext(key, exchange.requestId(), exchange.clientAddress());
        KeyLimiter.Lease lease = limiter.tryAdmit(caller);
        if (lease == null) {
            return null; // the ordinary path answers (and audits) the 429
        }
        InferenceForwarder.Call call = new InferenceForwarder.Call(
                caller,
                endpoint.path(),
                endpoint.path(),
                json,
                body,
                model,
                stream,
                wantsUsage,
                priority,
                exchange.startNanos());
        return new RelayedAnswer(relay, exchange, endpoint, call, lease);
    }
}
