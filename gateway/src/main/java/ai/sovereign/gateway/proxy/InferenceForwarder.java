package ai.sovereign.gateway.proxy;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.PriorityCap;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.limits.KeyLimiter;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.gateway.upstream.UpstreamClient;
import ai.sovereign.gateway.upstream.UpstreamSettings;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.fastlane.LineDecoder;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.node.ObjectNode;

/**
 * The forward and meter steps for inference: admits the request against its key's limits, sends it to the router,
 * and hands the answer back through the client's {@link Dialect} — streamed chunk by chunk without buffering, the
 * upstream cancelled when the client goes away — then charges the tokens it used and records the metrics.
 */
@Singleton
public class InferenceForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceForwarder.class);

    private final UpstreamClient upstream;
    private final UpstreamSettings settings;
    private final KeyLimiter limiter;
    private final GatewayMetrics metrics;

    public InferenceForwarder(
            UpstreamClient upstream, UpstreamSettings settings, KeyLimiter limiter, GatewayMetrics metrics) {
        this.upstream = upstream;
        this.settings = settings;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /**
     * One inference request, already authenticated and checked against the key's models.
     *
     * @param endpoint         the client-facing path (metrics label)
     * @param upstreamPath     the router's OpenAI path
     * @param body             the OpenAI request for the router
     * @param rawBody          the client's bytes of {@code body} when they are that request unchanged (forwarded as
     *                         they are, not serialised again), else null
     * @param clientWantsUsage whether the client itself asked for a usage chunk in the stream
     */
    public record Call(
            KeyContext caller,
            String endpoint,
            String upstreamPath,
            ObjectNode body,
            @Nullable byte[] rawBody,
            String model,
            boolean stream,
            boolean clientWantsUsage,
            @Nullable String priority,
            long startNanos) {}

    /**
     * Forwards {@code call}; the future completes on an event loop with the client's response (or fails with the
     * {@link ApiException} the client should get). Key limits are checked before anything is sent (429 thrown).
     */
    public CompletableFuture<MutableHttpResponse<?>> forward(Call call, Dialect dialect) {
        KeyLimiter.Lease lease = limiter.admit(call.caller());
        metrics.started();
        UsageTally tally = new UsageTally();
        AtomicBoolean ended = new AtomicBoolean();
        CompletableFuture<MutableHttpResponse<?>> response;
        try {
            UpstreamClient.Call request = new UpstreamClient.Call(
                    URI.create(settings.primaryRouter() + call.upstreamPath()),
                    "POST",
                    upstreamBody(call),
                    MediaType.APPLICATION_JSON,
                    call.stream() ? "text/event-stream" : MediaType.APPLICATION_JSON,
                    call.caller(),
                    call.priority());
            if (!call.stream()) {
                response = upstream.exchangeAsync(request, "router").thenApply(whole -> {
                    if (whole.status() >= 400) {
                        end(call, lease, tally, whole.status(), ended);
                        return dialect.translateError(whole.status(), whole.body(), whole.retryAfter());
                    }
                    byte[] translated = dialect.translateComplete(whole.body(), tally);
                    end(call, lease, tally, whole.status(), ended);
                    return HttpResponse.status(io.micronaut.http.HttpStatus.valueOf(whole.status()))
                            .contentType(MediaType.APPLICATION_JSON_TYPE)
                            .body(translated);
                });
            } else {
                response = upstream.streamAsync(request, "router").thenCompose(streamed -> {
                    if (streamed.status() >= 400) {
                        return collect(streamed.body()).thenApply(error -> {
                            end(call, lease, tally, streamed.status(), ended);
                            return dialect.translateError(streamed.status(), error, streamed.retryAfter());
                        });
                    }
                    return CompletableFuture.completedFuture(HttpResponse.ok(relay(
                                    call,
                                    lease,
                                    tally,
                                    ended,
                                    streamed.body(),
                                    dialect.newStream(tally, call.clientWantsUsage())))
                            .contentType(dialect.streamContentType()));
                });
            }
        } catch (RuntimeException e) {
            end(call, lease, tally, e instanceof ApiException api ? api.status().getCode() : 502, ended);
            throw e;
        }
        CompletableFuture<MutableHttpResponse<?>> result = new CompletableFuture<>();
        response = response.thenApply(answer -> answer.header(PriorityCap.APPLIED_HEADER, call.priority()));
        response.whenComplete((answer, error) -> {
            if (error == null) {
                result.complete(answer);
                return;
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            end(
                    call,
                    lease,
                    tally,
                    cause instanceof ApiException api ? api.status().getCode() : 502,
                    ended);
            result.completeExceptionally(cause);
        });
        return result;
    }

    private static final byte[] INCLUDE_USAGE =
            "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.UTF_8);

    /**
     * The body for the router. A stream always asks for the usage chunk (the gateway meters with it). The client's own
     * bytes go out unchanged when they can (the usual case: no serialising again); a stream without
     * {@code stream_options} gets the option spliced in after the object's opening brace.
     */
    public static byte[] upstreamBody(Call call) {
        byte[] raw = call.rawBody();
        if (raw != null && (!call.stream() || call.clientWantsUsage())) {
            return raw;
        }
        if (raw != null && !call.body().has("stream_options")) {
            int brace = 0;
            while (brace < raw.length && raw[brace] != '{') {
                brace++;
            }
            if (brace < raw.length) {
                byte[] spliced = new byte[raw.length + INCLUDE_USAGE.length];
                System.arraycopy(raw, 0, spliced, 0, brace + 1);
                System.arraycopy(INCLUDE_USAGE, 0, spliced, brace + 1, INCLUDE_USAGE.length);
                System.arraycopy(raw, brace + 1, spliced, brace + 1 + INCLUDE_USAGE.length, raw.length - brace - 1);
                return spliced;
            }
        }
        if (call.stream()) {
            ObjectNode options = call.body().has("stream_options")
                            && call.body().get("stream_options").isObject()
                    ? (ObjectNode) call.body().get("stream_options")
                    : call.body().putObject("stream_options");
            options.put("include_usage", true);
        }
        return JsonBodies.write(call.body());
    }

    private Flux<byte[]> relay(
            Call call,
            KeyLimiter.Lease lease,
            UsageTally tally,
            AtomicBoolean ended,
            Flux<byte[]> body,
            Dialect.StreamTranslator translator) {
        LineDecoder lines = new LineDecoder();
        AtomicInteger status = new AtomicInteger(200);
        return body.map(chunk -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    lines.feedText(chunk, line -> out.writeBytes(translator.onLine(line)));
                    return out.toByteArray();
                })
                .concatWith(Mono.fromSupplier(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    lines.finishText(line -> out.writeBytes(translator.onLine(line)));
                    out.writeBytes(translator.onEnd());
                    return out.toByteArray();
                }))
                .onErrorResume(error -> {
                    LOG.warn("stream from the router broke off: {}", error.toString());
                    status.set(502);
                    return Mono.just(translator.onFailure("the upstream stream broke off: " + error.getMessage()));
                })
                .filter(bytes -> bytes.length > 0)
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) {
                        status.set(499);
                    }
                    end(call, lease, tally, status.get(), ended);
                });
    }

    /** The end of a forwarded request (once; later calls do nothing): tokens charged, metrics recorded. */
    public void end(Call call, KeyLimiter.Lease lease, UsageTally tally, int status, AtomicBoolean ended) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        lease.finish(tally.promptTokens(), tally.completionTokens());
        metrics.tokens(call.model(), tally.promptTokens(), tally.completionTokens());
        if (tally.firstTokenNanos() > 0) {
            metrics.timeToFirstToken(call.endpoint(), Duration.ofNanos(tally.firstTokenNanos() - call.startNanos()));
        }
        metrics.finished(
                call.endpoint(), status, call.model(), Duration.ofNanos(System.nanoTime() - call.startNanos()));
    }

    /** A whole (error) body, at most 64 KiB of it. */
    private static CompletableFuture<byte[]> collect(Flux<byte[]> body) {
        return body.reduce(new ByteArrayOutputStream(), (out, chunk) -> {
                    if (out.size() < 64 * 1024) {
                        out.writeBytes(chunk);
                    }
                    return out;
                })
                .map(ByteArrayOutputStream::toByteArray)
                .onErrorReturn(new byte[0])
                .toFuture();
    }

    /** Upstream bytes as text, for error messages. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
