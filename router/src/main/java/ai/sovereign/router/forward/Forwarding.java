package ai.sovereign.router.forward;

import ai.sovereign.router.config.RetrySettings;
import ai.sovereign.router.queue.QueuedRequest;
import ai.sovereign.router.queue.RouteDecision;
import ai.sovereign.router.queue.RouteRequest;
import ai.sovereign.router.queue.SlotScheduler;
import ai.sovereign.runtime.http.PooledHttpClient;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.Supplier;

/**
 * What forwarding one request works with: where slots come from, the adapters, the way to the servers, where
 * outcomes are recorded, the retry settings in force (read at each use, so a config change applies to the next
 * decision), and the clock. {@link RequestForwarder} wires the router's own; tests pass fakes.
 */
record Forwarding(
        Slots slots,
        BackendAdapters adapters,
        Transport transport,
        AttemptRecorder recorder,
        Supplier<RetrySettings> retry,
        ForwardClock clock) {

    /** Where attempts get their slots. */
    interface Slots {

        /** Places one attempt: a slot now, a place in the queue, or a refusal. */
        RouteDecision route(RouteRequest request);

        /** Takes a waiting request out of the queue. */
        void cancel(QueuedRequest ticket);

        static Slots of(SlotScheduler scheduler) {
            return new Slots() {
                @Override
                public RouteDecision route(RouteRequest request) {
                    return scheduler.route(request);
                }

                @Override
                public void cancel(QueuedRequest ticket) {
                    scheduler.cancel(ticket);
                }
            };
        }
    }

    /** Sends an attempt's request to its server; the answer comes to {@code listener}. */
    @FunctionalInterface
    interface Transport {

        PooledHttpClient.Exchange send(UpstreamRequest request, PooledHttpClient.Listener listener);

        /** Through the router's pooled client, on the caller's event loop. */
        static Transport pooled(PooledHttpClient http) {
            return (request, listener) -> {
                HttpHeaders headers = new DefaultHttpHeaders();
                request.headers().forEach(headers::add);
                return http.send(
                        new PooledHttpClient.Request(
                                request.uri(),
                                HttpMethod.valueOf(request.method()),
                                headers,
                                request.body(),
                                request.timeout()),
                        listener);
            };
        }
    }
}
