package ai.sovereign.gateway.operations;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.limits.KeyLimiter;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.gateway.upstream.UpstreamClient;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.ObjectNode;

/**
 * The other services' operations APIs, reached through the gateway after the role check of {@link OperationsRoutes}:
 * the request goes on unchanged (method, path, query, body) with a minted service token instead of the API key, and
 * the answer comes back streamed.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
public class OperationsController {

    private static final List<String> PASSED_BACK =
            List.of("Content-Type", "Content-Disposition", "Retry-After", "Location");

    private final OperationsRoutes routes;
    private final RequestAuthenticator authenticator;
    private final UpstreamClient upstream;
    private final GatewayMetrics metrics;
    private final KeyLimiter limiter;

    public OperationsController(
            OperationsRoutes routes,
            RequestAuthenticator authenticator,
            UpstreamClient upstream,
            GatewayMetrics metrics,
            KeyLimiter limiter) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.upstream = upstream;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    @Get(
            uris = {
                "/api/orchestrator",
                "/api/orchestrator/{+path}",
                "/api/v1/sources",
                "/api/v1/sources/{+path}",
                "/api/v1/search",
                "/api/v1/chat",
                "/api/v1/audit",
                "/api/v1/audit/{+path}",
                "/api/v1/backups",
                "/api/v1/backups/{+path}"
            })
    public MutableHttpResponse<?> get(HttpRequest<?> request) {
        return forward(request, null);
    }

    @Post(
            uris = {
                "/api/orchestrator",
                "/api/orchestrator/{+path}",
                "/api/v1/sources",
                "/api/v1/sources/{+path}",
                "/api/v1/search",
                "/api/v1/chat",
                "/api/v1/audit",
                "/api/v1/audit/{+path}",
                "/api/v1/backups",
                "/api/v1/backups/{+path}"
            })
    public MutableHttpResponse<?> post(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body);
    }

    @Put(
            uris = {
                "/api/orchestrator",
                "/api/orchestrator/{+path}",
                "/api/v1/sources",
                "/api/v1/sources/{+path}",
                "/api/v1/search",
                "/api/v1/chat",
                "/api/v1/audit",
                "/api/v1/audit/{+path}",
                "/api/v1/backups",
                "/api/v1/backups/{+path}"
            })
    public MutableHttpResponse<?> put(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body);
    }

    @Patch(
            uris = {
                "/api/orchestrator",
                "/api/orchestrator/{+path}",
                "/api/v1/sources",
                "/api/v1/sources/{+path}",
                "/api/v1/search",
                "/api/v1/chat",
                "/api/v1/audit",
                "/api/v1/audit/{+path}",
                "/api/v1/backups",
                "/api/v1/backups/{+path}"
            })
    public MutableHttpResponse<?> patch(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body);
    }

    @Delete(
            uris = {
                "/api/orchestrator",
                "/api/orchestrator/{+path}",
                "/api/v1/sources",
                "/api/v1/sources/{+path}",
                "/api/v1/search",
                "/api/v1/chat",
                "/api/v1/audit",
                "/api/v1/audit/{+path}",
                "/api/v1/backups",
                "/api/v1/backups/{+path}"
            })
    public MutableHttpResponse<?> delete(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return forward(request, body);
    }

    private MutableHttpResponse<?> forward(HttpRequest<?> request, @Nullable byte[] body) {
        long start = System.nanoTime();
        OperationsRoutes.Route route = routes.route(request.getPath())
                .orElseThrow(() -> ApiException.notFound(
                        "no such endpoint: " + request.getMethodName() + " " + request.getPath()));
        KeyContext caller = authenticator.authenticate(request, route.roles().toArray(Role[]::new));
        if (route.prefix().equals("/api/v1/chat") && body != null && body.length > 0) {
            body = checkedChat(caller, body);
        }
        KeyLimiter.Lease lease = route.keyLimits() ? limiter.admit(caller) : null;
        try {
            return relay(request, body, route, caller, start, lease);
        } catch (RuntimeException e) {
            if (lease != null) {
                lease.finish(0, 0);
            }
            throw e;
        }
    }

    /**
     * A RAG chat names the model that will answer: it must be one the key may use, checked before retrieval starts.
     * A key limited to some models must name one (the ingestion service's default is not the gateway's to check).
     * The body goes on as the gateway read it, so that the ingestion service cannot read another model from it.
     */
    private byte[] checkedChat(KeyContext caller, byte[] body) {
        ObjectNode json = JsonBodies.parseObject(body);
        if (json.get("model") == null || json.get("model").isNull()) {
            if (!caller.key().allowedModels().contains("*")) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "'model' is required: API key " + caller.key().idString() + " may use only "
                                + caller.key().allowedModels(),
                        "invalid_request_error",
                        "model");
            }
            return JsonBodies.MAPPER.writeValueAsBytes(json);
        }
        authenticator.requireModel(caller, JsonBodies.modelName(json, "model"));
        return JsonBodies.MAPPER.writeValueAsBytes(json);
    }

    private MutableHttpResponse<?> relay(
            HttpRequest<?> request,
            @Nullable byte[] body,
            OperationsRoutes.Route route,
            KeyContext caller,
            long start,
            KeyLimiter.@Nullable Lease lease) {
        String query = request.getUri().getRawQuery();
        URI target = URI.create(route.base() + request.getUri().getRawPath() + (query == null ? "" : "?" + query));
        metrics.started();
        java.net.http.HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = upstream.stream(
                    new UpstreamClient.Call(
                            target,
                            request.getMethodName(),
                            body == null || body.length == 0 ? null : body,
                            request.getContentType().map(MediaType::toString).orElse(null),
                            request.getHeaders().get("Accept"),
                            caller,
                            null),
                    route.service());
        } catch (ApiException e) {
            metrics.finished(route.prefix(), e.status().getCode(), "-", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        int status = response.statusCode();
        Flux<byte[]> relayed = JdkFlowAdapter.flowPublisherToFlux(response.body())
                .map(buffers -> {
                    int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
                    byte[] bytes = new byte[size];
                    int at = 0;
                    for (ByteBuffer b : buffers) {
                        int n = b.remaining();
                        b.get(bytes, at, n);
                        at += n;
                    }
                    return bytes;
                })
                .filter(bytes -> bytes.length > 0)
                .doFinally(signal -> {
                    if (lease != null) {
                        // the answer's model tokens are not known here: RPM and concurrency count, TPM and budget
                        // only refuse a key that is already over them
                        lease.finish(0, 0);
                    }
                    metrics.finished(route.prefix(), status, "-", Duration.ofNanos(System.nanoTime() - start));
                });
        MutableHttpResponse<Flux<byte[]>> out = HttpResponse.status(HttpStatus.valueOf(status));
        for (String header : PASSED_BACK) {
            response.headers().firstValue(header).ifPresent(value -> out.header(header, value));
        }
        boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        // a Flux body of JSON content would be framed by Micronaut as a JSON array of its chunks: a JSON answer is
        // relayed as one value; everything else (NDJSON and CSV exports, event streams) streams as it comes
        if (json) {
            // this controller runs on the blocking executor: waiting for a JSON answer's last byte is fine here
            MutableHttpResponse<byte[]> whole = HttpResponse.status(HttpStatus.valueOf(status));
            out.getHeaders().forEach((name, values) -> values.forEach(value -> whole.header(name, value)));
            return whole.body(concat(relayed.collectList().block()));
        }
        return out.body(relayed);
    }

    private static byte[] concat(List<byte[]> chunks) {
        int size = chunks.stream().mapToInt(c -> c.length).sum();
        byte[] whole = new byte[size];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, whole, at, chunk.length);
            at += chunk.length;
        }
        return whole;
    }
}
