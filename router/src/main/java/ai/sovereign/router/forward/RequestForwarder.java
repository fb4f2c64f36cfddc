package ai.sovereign.router.forward;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.sovereign.events.UsageRecord;
import ai.sovereign.router.balance.RoutingHint;
import ai.sovereign.router.config.RetrySettings;
import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.queue.QueueTimeoutException;
import ai.sovereign.router.queue.QueuedRequest;
import ai.sovereign.router.queue.RouteDecision;
import ai.sovereign.router.queue.RouteRequest;
import ai.sovereign.router.queue.SlotLease;
import ai.sovereign.router.queue.SlotScheduler;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.fastlane.LineDecoder;
import ai.sovereign.runtime.fastlane.SseFrames;
import ai.sovereign.runtime.http.PooledHttpClient;
import io.micronaut.http.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Forwards one client request to the fleet: takes a slot (now, or after waiting in the queue), sends the request
 * through the server type's adapter, and retries on another server while nothing has reached the client (connect
 * error, 5xx, no first byte in time). Streams are relayed chunk by chunk with the client's demand driving the reads
 * from the server, so nothing is buffered whole; after the first byte a failure ends the stream with an SSE error
 * event. A client that goes away cancels the upstream request and frees the slot.
 *
 * <p>Upstream calls go through a {@link PooledHttpClient} on the HTTP server's event loops: the request is written,
 * and the server's answer read and relayed, on the event loop that received the client's request (when the slot was
 * free at once), without thread hand-offs; every callback below runs on that loop and must not block.
 */
@Singleton
public class RequestForwarder {

    private final SlotScheduler scheduler;
    private final BackendAdapters adapters;
    private final PooledHttpClient http;
    private final VersionedRoutingConfig config;
    private final AttemptRecorder recorder;
    private final ScheduledExecutorService timer;

    public RequestForwarder(SlotScheduler scheduler, BackendAdapters adapters, PooledHttpClient http,
                            VersionedRoutingConfig config, AttemptRecorder recorder,
                            @Named("router-timer") ScheduledExecutorService timer) {
        this.scheduler = scheduler;
        this.adapters = adapters;
        this.http = http;
        this.config = config;
        this.recorder = recorder;
        this.timer = timer;
    }

    /** A whole answer: the OpenAI response body, or an {@link ApiException} with the client's status. */
    public CompletableFuture<byte[]> answer(InferenceRequest request, ClientContext client) {
        WholeExchange exchange = new WholeExchange(request, client);
        exchange.result.whenComplete((body, error) -> {
            if (error instanceof CancellationException) {
                exchange.cancel();
            }
        });
        exchange.next();
        return exchange.result;
    }

    /** A streamed answer as SSE frames; errors before the first frame carry the client's status. */
    public Flux<byte[]> stream(InferenceRequest request, ClientContext client) {
        return Flux.create(sink -> {
            StreamControl control = stream(request, client, new StreamSink() {
                @Override
                public void next(byte[] frame) {
                    sink.next(frame);
                }

                @Override
                public void complete() {
                    sink.complete();
                }

                @Override
                public void fail(ApiException error) {
                    sink.error(error);
                }

                @Override
                public boolean wantsMore() {
                    return sink.requestedFromDownstream() > 0;
                }
            });
            sink.onRequest(n -> control.demand());
            sink.onCancel(control::cancel);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /**
     * A streamed answer written into {@code sink} (the router's Netty fast path writes the frames straight to the
     * client's connection). The sink's methods are called on the event loop relaying the stream, one at a time.
     */
    public StreamControl stream(InferenceRequest request, ClientContext client, StreamSink sink) {
        StreamExchange exchange = new StreamExchange(request, client, sink);
        exchange.next();
        return new StreamControl() {
            @Override
            public void demand() {
                exchange.demand();
            }

            @Override
            public void cancel() {
                exchange.cancel();
            }
        };
    }

    /** Where a stream's SSE frames go. */
    public interface StreamSink {

        /** One or more whole SSE events. */
        void next(byte[] frame);

        /** The frames passed so far may be sent now (called after each piece of the server's stream). */
        default void flush() {
        }

        /** The stream ended (after a normal end or an SSE error event). */
        void complete();

        /** The request failed before its first frame: the client gets {@code error}'s status and body. */
        void fail(ApiException error);

        /** False while the client cannot take more (the server's stream is paused until {@link StreamControl#demand()}). */
        boolean wantsMore();
    }

    /** The client's side of a stream. */
    public interface StreamControl {

        /** The client can take more again. */
        void demand();

        /** The client went away: the upstream request is cancelled and the slot freed. */
        void cancel();
    }

    /** One client request across its attempts. */
    private abstract class Exchange {

        final InferenceRequest request;
        final ClientContext client;
        final Set<String> tried = ConcurrentHashMap.newKeySet();
        final RoutingHint hint;
        final AtomicBoolean over = new AtomicBoolean();
        volatile boolean cancelled;
        volatile QueuedRequest ticket;
        volatile SlotLease lease;
        volatile PooledHttpClient.Exchange call;
        int attempts;
        String lastError = "no server was tried";

        Exchange(InferenceRequest request, ClientContext client) {
            this.request = request;
            this.client = client;
            this.hint = RoutingHint.of(request, client.sessionId());
        }

        RetrySettings retry() {
            return config.config().retry();
        }

        /** Starts the next attempt, or gives up when the attempts are used up. */
        final void next() {
            if (cancelled) {
                return;
            }
            if (attempts >= retry().maxAttempts()) {
                refuse(new ApiException(HttpStatus.BAD_GATEWAY, "model '" + request.model() + "' failed on "
                        + attempts + " server(s) (retry.maxAttempts " + retry().maxAttempts() + "); last error: "
                        + lastError, "upstream_error", null), UsageRecord.Status.ERROR);
                return;
            }
            if (attempts > 0) {
                recorder.retried();
            }
            attempts++;
            RouteDecision decision;
            try {
                decision = scheduler.route(new RouteRequest(client.requestId(), request.model(), request.priority(), tried, hint));
            } catch (RuntimeException e) {
                refuse(e, UsageRecord.Status.ERROR);
                return;
            }
            switch (decision) {
                case RouteDecision.Forward forward -> start(forward.lease());
                case RouteDecision.Queue queue -> {
                    ticket = queue.ticket();
                    queue.ticket().slot().whenComplete((granted, error) -> {
                        ticket = null;
                        if (error == null) {
                            start(granted);
                        } else if (!(error instanceof CancellationException)) {
                            Throwable cause = unwrap(error);
                            refuse(cause instanceof QueueTimeoutException
                                    ? new RoutingRefusedException(HttpStatus.GATEWAY_TIMEOUT, cause.getMessage(),
                                            "queue_timeout", 0)
                                    : cause, UsageRecord.Status.REJECTED);
                        }
                    });
                    if (cancelled) {
                        scheduler.cancel(queue.ticket());
                    }
                }
                case RouteDecision.Reject reject -> {
                    String code = reject.reason() == RouteDecision.Reason.QUEUE_FULL ? "queue_full" : "no_server_available";
                    String message = attempts > 1 ? reject.message() + "; earlier attempt: " + lastError : reject.message();
                    refuse(new RoutingRefusedException(HttpStatus.SERVICE_UNAVAILABLE, message, code,
                            reject.retryAfterSeconds()), UsageRecord.Status.REJECTED);
                }
            }
        }

        private void start(SlotLease granted) {
            if (cancelled) {
                recorder.abandoned(granted);
                granted.release();
                return;
            }
            lease = granted;
            tried.add(granted.server().id());
            ServerSpec spec = granted.server().spec();
            BackendAdapter adapter = adapters.of(spec.type());
            HttpRequest upstream;
            try {
                upstream = adapter.toUpstream(spec, request, client.requestId(), Duration.ofMillis(retry().firstByteTimeoutMs()));
            } catch (RuntimeException e) {
                granted.release();
                lease = null;
                refuse(e, UsageRecord.Status.ERROR);
                return;
            }
            send(granted, adapter, upstream, System.nanoTime());
        }

        abstract void send(SlotLease granted, BackendAdapter adapter, HttpRequest upstream, long sentNanos);

        /** The attempt failed before anything reached the client: count it against the server, try another. */
        final void attemptFailed(SlotLease failed, long sentNanos, String error, boolean unreachable) {
            recorder.failed(failed, (System.nanoTime() - sentNanos) / 1e6, error);
            if (unreachable) {
                failed.server().markUnreachable(error);
            }
            lastError = failed.server().id() + ": " + error;
            failed.release();
            lease = null;
            next();
        }

        /** The server answered with an error status before the first byte. */
        final void upstreamStatus(SlotLease granted, long sentNanos, int status, String message) {
            if (status >= 500 || status == 429 || status == 408) {
                attemptFailed(granted, sentNanos, "HTTP " + status + ": " + message, false);
            } else if (status == 404) {
                // The server no longer has the model (discovery is behind): not its fault, try another.
                granted.server().forgetModel(request.model());
                recorder.abandoned(granted);
                lastError = granted.server().id() + ": HTTP 404: " + message;
                granted.release();
                lease = null;
                next();
            } else {
                // The client's own mistake, as the server saw it: the server is fine.
                recorder.succeeded(granted, (System.nanoTime() - sentNanos) / 1e6, null, 0);
                granted.release();
                lease = null;
                HttpStatus clientStatus = HttpStatus.valueOf(status);
                refuse(new ApiException(clientStatus, message, "upstream_rejected", null), UsageRecord.Status.ERROR);
            }
        }

        final void finish(String serverId, UsageRecord.Status status, int httpStatus, String errorType,
                          UsageTally usage, Double ttftMs) {
            if (over.compareAndSet(false, true)) {
                recorder.finished(client, request, serverId, status, httpStatus, errorType,
                        usage == null ? 0 : usage.promptTokens(), usage == null ? 0 : usage.completionTokens(), ttftMs);
            }
        }

        /** The request ends without an answer: tell the client why. */
        final void refuse(Throwable error, UsageRecord.Status status) {
            ApiException api = error instanceof ApiException e ? e
                    : new ApiException(HttpStatus.BAD_GATEWAY, "forwarding failed: " + error.getMessage(), "upstream_error", null);
            finish(null, status, api.status().getCode(), api.code(), null, null);
            fail(api);
        }

        abstract void fail(ApiException error);

        /** The client went away. */
        void cancel() {
            cancelled = true;
            QueuedRequest waiting = ticket;
            if (waiting != null) {
                scheduler.cancel(waiting);
            }
            PooledHttpClient.Exchange inFlight = call;
            if (inFlight != null) {
                inFlight.cancel();
            }
            SlotLease held = lease;
            if (held != null) {
                recorder.abandoned(held);
                held.release();
            }
            finish(held == null ? null : held.server().id(), UsageRecord.Status.CANCELLED, 499, "client_closed_request",
                    null, null);
        }
    }

    /** A non-streamed request: the whole answer or an error. */
    private final class WholeExchange extends Exchange {

        final CompletableFuture<byte[]> result = new CompletableFuture<>();

        WholeExchange(InferenceRequest request, ClientContext client) {
            super(request, client);
        }

        @Override
        void send(SlotLease granted, BackendAdapter adapter, HttpRequest upstream, long sentNanos) {
            call = http.send(toPooled(upstream), new PooledHttpClient.Listener() {
                private final ByteArrayOutputStream body = new ByteArrayOutputStream();
                private int status;

                @Override
                public void onHeaders(HttpResponse response) {
                    status = response.status().code();
                }

                @Override
                public void onContent(ByteBuf content) {
                    body.writeBytes(copy(content, Integer.MAX_VALUE));
                }

                @Override
                public void onComplete() {
                    if (!cancelled) {
                        answered(granted, adapter, sentNanos, status, body.toByteArray());
                    }
                }

                @Override
                public void onError(Throwable error) {
                    if (!cancelled) {
                        attemptFailed(granted, sentNanos, describe(error), unreachable(error));
                    }
                }
            });
            if (cancelled) {
                call.cancel();
            }
        }

        private void answered(SlotLease granted, BackendAdapter adapter, long sentNanos, int status, byte[] answer) {
            {
                if (status / 100 != 2) {
                    upstreamStatus(granted, sentNanos, status, adapter.errorMessage(answer));
                    return;
                }
                UsageTally usage = new UsageTally();
                byte[] body;
                try {
                    body = adapter.translateAnswer(request, answer, client.requestId(), usage);
                } catch (RuntimeException e) {
                    attemptFailed(granted, sentNanos, "unreadable answer: " + e.getMessage(), false);
                    return;
                }
                double latencyMs = (System.nanoTime() - sentNanos) / 1e6;
                recorder.answered(granted, latencyMs);
                recorder.succeeded(granted, latencyMs, null, usage.completionTokens());
                granted.release();
                lease = null;
                finish(granted.server().id(), UsageRecord.Status.SUCCESS, 200, null, usage, null);
                result.complete(body);
            }
        }

        @Override
        void fail(ApiException error) {
            result.completeExceptionally(error);
        }
    }

    /** A streamed request: SSE frames into the client's sink. */
    private final class StreamExchange extends Exchange {

        final StreamSink sink;
        volatile StreamAttempt current;

        StreamExchange(InferenceRequest request, ClientContext client, StreamSink sink) {
            super(request, client);
            this.sink = sink;
        }

        void demand() {
            StreamAttempt attempt = current;
            if (attempt != null) {
                attempt.demand();
            }
        }

        @Override
        void send(SlotLease granted, BackendAdapter adapter, HttpRequest upstream, long sentNanos) {
            StreamAttempt attempt = new StreamAttempt(this, granted, adapter.streamTranslator(request, client.requestId()),
                    sentNanos);
            current = attempt;
            attempt.firstByteTimer = timer.schedule(() -> attempt.failBeforeFirstByte(
                    "no first byte within " + retry().firstByteTimeoutMs() + " ms (retry.firstByteTimeoutMs)", false),
                    retry().firstByteTimeoutMs(), TimeUnit.MILLISECONDS);
            attempt.adapter = adapter;
            PooledHttpClient.Exchange sent = http.send(toPooled(upstream), attempt);
            attempt.upstream = sent;
            call = sent;
            if (cancelled || attempt.settled.get()) {
                sent.cancel();
            }
        }

        @Override
        void fail(ApiException error) {
            sink.fail(error);
        }

        @Override
        void cancel() {
            StreamAttempt attempt = current;
            if (attempt != null) {
                attempt.stop();
            }
            super.cancel();
        }
    }

    /** One attempt of a stream: reads the server's body as the client's demand allows. */
    private final class StreamAttempt implements PooledHttpClient.Listener {

        final StreamExchange exchange;
        final SlotLease lease;
        final StreamTranslator translator;
        final long sentNanos;
        final LineDecoder lines = new LineDecoder();
        final AtomicBoolean settled = new AtomicBoolean();
        final AtomicBoolean wanting = new AtomicBoolean();
        volatile ScheduledFuture<?> firstByteTimer;
        volatile ScheduledFuture<?> idleWatch;
        volatile PooledHttpClient.Exchange upstream;
        volatile BackendAdapter adapter;
        /** The server's error status (not 2xx), whose body is collected for the message; 0 while fine. */
        int errorStatus;
        ByteArrayOutputStream errorBody;
        volatile boolean emitted;
        volatile long lastActivityNanos;
        Double ttftMs;

        /** Each line of the server's stream into the translator, its events out to the client. */
        final LineDecoder.RawLines relay;

        StreamAttempt(StreamExchange exchange, SlotLease lease, StreamTranslator translator, long sentNanos) {
            this.exchange = exchange;
            this.lease = lease;
            this.translator = translator;
            this.sentNanos = sentNanos;
            java.util.function.Consumer<byte[]> emitter = this::emit;
            this.relay = (line, length) -> translator.onLine(line, length, emitter);
        }

        /** Claims the attempt's outcome; false when something else already decided it. */
        boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            cancel(firstByteTimer);
            cancel(idleWatch);
            return true;
        }

        @Override
        public synchronized void onHeaders(HttpResponse response) {
            int status = response.status().code();
            if (status / 100 != 2) {
                errorStatus = status;
                errorBody = new ByteArrayOutputStream();
            }
        }

        @Override
        public synchronized void onContent(ByteBuf content) {
            if (settled.get()) {
                return;
            }
            if (errorStatus != 0) {
                if (errorBody.size() < 64 * 1024) {
                    errorBody.writeBytes(copy(content, 64 * 1024 - errorBody.size()));
                }
                return;
            }
            try {
                lines.feed(content, relay);
            } catch (StreamTranslator.StreamFailure e) {
                failBeforeFirstByte("error in stream: " + e.getMessage(), false);
                return;
            } catch (RuntimeException e) {
                if (emitted) {
                    failMidStream("unreadable stream: " + e.getMessage());
                } else {
                    failBeforeFirstByte("unreadable stream: " + e.getMessage(), false);
                }
                return;
            }
            if (emitted) {
                exchange.sink.flush();
            }
            PooledHttpClient.Exchange reading = upstream;
            if (reading != null && emitted && !exchange.sink.wantsMore() && wanting.compareAndSet(false, true)) {
                // The client reads slower than the server writes: stop reading the server until it catches up.
                reading.pause();
                if (exchange.sink.wantsMore()) {
                    demand();
                }
            }
        }

        void demand() {
            PooledHttpClient.Exchange s = upstream;
            if (s != null && wanting.compareAndSet(true, false)) {
                s.resume();
            }
        }

        private void emit(byte[] frame) {
            lastActivityNanos = System.nanoTime();
            if (!emitted) {
                emitted = true;
                cancel(firstByteTimer);
                long now = System.nanoTime();
                ttftMs = (now - exchange.client.startNanos()) / 1e6;
                recorder.firstToken(exchange.request.model(), Duration.ofNanos(now - exchange.client.startNanos()));
                recorder.answered(lease, (now - sentNanos) / 1e6);
                long idle = exchange.retry().streamIdleTimeoutMs();
                idleWatch = timer.scheduleWithFixedDelay(this::checkIdle, idle, Math.max(50, idle / 4),
                        TimeUnit.MILLISECONDS);
            }
            exchange.sink.next(frame);
        }

        private void checkIdle() {
            long idle = exchange.retry().streamIdleTimeoutMs();
            if (System.nanoTime() - lastActivityNanos > idle * 1_000_000) {
                synchronized (this) {
                    failMidStream("the server sent nothing for " + idle + " ms (retry.streamIdleTimeoutMs)");
                }
            }
        }

        @Override
        public synchronized void onError(Throwable error) {
            if (emitted) {
                failMidStream(describe(error));
            } else {
                failBeforeFirstByte(describe(error), unreachable(error));
            }
        }

        @Override
        public synchronized void onComplete() {
            if (settled.get()) {
                return;
            }
            if (errorStatus != 0) {
                if (settle()) {
                    byte[] bytes = errorBody.toByteArray();
                    exchange.upstreamStatus(lease, sentNanos, errorStatus,
                            bytes.length == 0 ? "no error message" : adapter.errorMessage(bytes));
                }
                return;
            }
            try {
                lines.finish(relay);
            } catch (RuntimeException e) {
                // judged below
            }
            if (!emitted) {
                failBeforeFirstByte("the server ended the stream without an answer", false);
            } else if (!translator.finished() && !translator.failed()) {
                failMidStream("the server ended the stream before its end marker");
            } else if (settle()) {
                double latencyMs = (System.nanoTime() - sentNanos) / 1e6;
                UsageTally usage = translator.usage();
                if (translator.failed()) {
                    recorder.failed(lease, latencyMs, "error event in stream");
                } else {
                    recorder.succeeded(lease, latencyMs, ttftMs, usage.completionTokens());
                }
                lease.release();
                exchange.lease = null;
                exchange.finish(lease.server().id(), translator.failed() ? UsageRecord.Status.ERROR
                        : UsageRecord.Status.SUCCESS, 200, translator.failed() ? "upstream_error" : null, usage, ttftMs);
                exchange.sink.complete();
            }
        }

        synchronized void failBeforeFirstByte(String error, boolean unreachable) {
            if (emitted) {
                failMidStream(error);
                return;
            }
            if (!settle()) {
                return;
            }
            stopUpstream();
            if (!exchange.cancelled) {
                exchange.attemptFailed(lease, sentNanos, error, unreachable);
            }
        }

        /** After the first byte: no retry; the client gets an error event and the end of the stream. */
        private void failMidStream(String error) {
            if (!settle()) {
                return;
            }
            stopUpstream();
            recorder.failed(lease, (System.nanoTime() - sentNanos) / 1e6, error);
            lease.release();
            exchange.lease = null;
            exchange.finish(lease.server().id(), UsageRecord.Status.ERROR, 200, "upstream_error", translator.usage(), ttftMs);
            exchange.sink.next(SseFrames.error("the inference server " + lease.server().id()
                    + " failed after the answer had started: " + error, "upstream_error"));
            exchange.sink.complete();
        }

        /** The client went away. */
        void stop() {
            if (settled.compareAndSet(false, true)) {
                cancel(firstByteTimer);
                cancel(idleWatch);
                stopUpstream();
            }
        }

        private void stopUpstream() {
            PooledHttpClient.Exchange s = upstream;
            if (s != null) {
                s.cancel();
            }
        }

        private static void cancel(ScheduledFuture<?> future) {
            if (future != null) {
                future.cancel(false);
            }
        }
    }

    private static byte[] copy(ByteBuf content, int max) {
        byte[] bytes = new byte[Math.min(max, content.readableBytes())];
        content.readBytes(bytes);
        return bytes;
    }

    /** The adapter's request for the pooled client: same URL, method, headers, body and time limit. */
    static PooledHttpClient.Request toPooled(HttpRequest request) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            headers.add(header.getKey(), header.getValue());
        }
        return new PooledHttpClient.Request(request.uri(), HttpMethod.valueOf(request.method()), headers,
                request.bodyPublisher().map(RequestForwarder::bytes).orElse(null),
                request.timeout().orElse(Duration.ofMinutes(5)));
    }

    /** The bytes of an in-memory body publisher (the adapters build their bodies from byte arrays). */
    private static byte[] bytes(HttpRequest.BodyPublisher publisher) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(out.toByteArray());
            }
        });
        return done.join();
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static boolean unreachable(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || cause.getCause() instanceof ConnectException;
    }

    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (unreachable(cause)) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out (retry.firstByteTimeoutMs)";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
