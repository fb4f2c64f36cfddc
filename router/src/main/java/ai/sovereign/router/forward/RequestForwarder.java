package ai.sovereign.router.forward;

import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.queue.SlotScheduler;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.http.PooledHttpClient;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Forwards one client request to the fleet: takes a slot (now, or after waiting in the queue), sends the request
 * through the server type's adapter, and retries on another server while nothing has reached the client (connect
 * error, 5xx, no first byte in time): {@link RetryingExchange}. Streams are relayed chunk by chunk with the client's
 * demand driving the reads from the server, so nothing is buffered whole; after the first byte a failure ends the
 * stream with an SSE error event: {@link StreamRelay}. A client that goes away cancels the upstream request and frees
 * the slot.
 *
 * <p>Upstream calls go through a {@link PooledHttpClient} on the HTTP server's event loops: the request is written,
 * and the server's answer read and relayed, on the event loop that received the client's request (when the slot was
 * free at once), without thread hand-offs; every callback runs on that loop and must not block.
 */
@Singleton
public class RequestForwarder {

    private final Forwarding forwarding;

    public RequestForwarder(
            SlotScheduler scheduler,
            BackendAdapters adapters,
            PooledHttpClient http,
            VersionedRoutingConfig config,
            AttemptRecorder recorder,
            @Named("router-timer") ScheduledExecutorService timer) {
        this.forwarding = new Forwarding(
                Forwarding.Slots.of(scheduler),
                adapters,
                Forwarding.Transport.pooled(http),
                recorder,
                () -> config.config().retry(),
                ForwardClock.on(timer));
    }

    /** A whole answer: the OpenAI response body, or an {@link ApiException} with the client's status. */
    public CompletableFuture<byte[]> answer(InferenceRequest request, ClientContext client) {
        WholeExchange exchange = new WholeExchange(forwarding, request, client);
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
        return Flux.create(
                sink -> {
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
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    /**
     * A streamed answer written into {@code sink} (the router's Netty fast path writes the frames straight to the
     * client's connection). The sink's methods are called on the event loop relaying the stream, one at a time.
     */
    public StreamControl stream(InferenceRequest request, ClientContext client, StreamSink sink) {
        StreamExchange exchange = new StreamExchange(forwarding, request, client, sink);
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
        default void flush() {}

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
}
