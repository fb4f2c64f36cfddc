package ai.sovereign.router.api;

import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.forward.ClientContext;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.InferenceRequestParser;
import ai.sovereign.router.forward.RequestForwarder;
import ai.sovereign.router.forward.RoutingRefusedException;
import ai.sovereign.router.queue.Priority;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.fastlane.FastAnswer;
import ai.sovereign.runtime.fastlane.FastExchange;
import ai.sovereign.runtime.fastlane.FastRoute;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.HttpServerConfiguration;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import jakarta.inject.Singleton;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.MDC;

/**
 * The data plane without Micronaut's request pipeline: through the common runtime's fast lane, in front of
 * Micronaut's own handler on every HTTP/1.1 connection, it serves {@code POST /v1/chat/completions},
 * {@code /v1/completions} and {@code /v1/embeddings} itself. It does what the controller and the server filters do for
 * these routes (request id, the caller's service token verified and required on protected paths as the token filter
 * does, OpenAI error bodies, {@code Retry-After},
 * {@code http.server.requests} timing), and writes the server's SSE frames straight to the client's connection: one
 * write per frame, one flush per piece of the server's stream, the connection's writability as backpressure, the
 * connection's end as the client going away. This saves the per-request routing, filter and reactive plumbing and
 * the per-token hops through Reactor and Micronaut's response streaming, which were most of the router's CPU.
 *
 * <p>Requests it does not take go to Micronaut unchanged: other paths and methods, HTTP/1.0, {@code Expect},
 * compressed bodies, bodies over {@code micronaut.server.max-request-size}, requests pipelined behind an answer
 * Micronaut still owes; the {@link InferenceController} serves those
 * inference requests the same way. {@code router.fast-path.enabled: false} turns it off.
 */
@Singleton
@Requires(property = "router.fast-path.enabled", notEquals = "false")
public class InferenceFastPath implements FastRoute<Endpoint> {

    private final InferenceRequestParser parser;
    private final RequestForwarder forwarder;
    private final FleetRegistry fleet;
    private final ClientContexts clients;
    private final int maxRequestSize;
    private final Counter served;

    public InferenceFastPath(
            InferenceRequestParser parser,
            RequestForwarder forwarder,
            FleetRegistry fleet,
            ClientContexts clients,
            MeterRegistry meters,
            HttpServerConfiguration server) {
        this.parser = parser;
        this.forwarder = forwarder;
        this.fleet = fleet;
        this.clients = clients;
        // micronaut.server.max-request-size: a larger body goes to Micronaut, which answers 413 as for any route
        this.maxRequestSize = (int) Math.min(Integer.MAX_VALUE - 8, server.getMaxRequestSize());
        this.served = Counter.builder("orchestrator.fast.path.requests")
                .description("Inference requests served by the Netty fast path (the rest went through Micronaut)")
                .register(meters);
    }

    /** The endpoint of an inference POST (the query string aside). */
    @Override
    public @Nullable Claim<Endpoint> claim(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return null;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Endpoint endpoint = switch (path) {
            case "/v1/chat/completions" -> Endpoint.CHAT;
            case "/v1/completions" -> Endpoint.COMPLETIONS;
            case "/v1/embeddings" -> Endpoint.EMBEDDINGS;
            default -> null;
        };
        if (endpoint == null) {
            return null;
        }
        return new Claim<>(endpoint, endpoint.path(), maxRequestSize);
    }

    @Override
    public FastAnswer serve(Claim<Endpoint> claim, FastExchange exchange) {
        served.increment();
        Answer answer = new Answer(exchange);
        answer.dispatch(claim.target());
        return answer;
    }

    /** The controller's check, shared: a model no server of the fleet holds is a 404 naming those that exist. */
    static void requireKnown(FleetRegistry fleet, InferenceRequest request) {
        if (!fleet.knows(request.model())) {
            var models = fleet.modelIndex().keySet();
            throw new ApiException(
                    HttpStatus.NOT_FOUND,
                    "model '" + request.model() + "' is not served by any server " + "of the fleet; models: "
                            + (models.isEmpty() ? "none" : String.join(", ", models)),
                    "model_not_found",
                    "model");
        }
    }

    /** One request's answer: whole from the forwarder's future, or its stream's frames as they come. */
    private final class Answer implements RequestForwarder.StreamSink, FastAnswer {

        private final FastExchange exchange;
        private RequestForwarder.StreamControl stream;
        private CompletableFuture<byte[]> whole;
        private boolean headersSent;
        private boolean done;

        Answer(FastExchange exchange) {
            this.exchange = exchange;
        }

        void dispatch(Endpoint endpoint) {
            MDC.put(RequestIdFilter.MDC_KEY, exchange.requestId());
            try {
                HttpHeaders headers = exchange.head().headers();
                // who calls comes first: a caller without a valid token learns nothing about the request it sent
                ClientContext client = clients.of(endpoint.path(), headers::get, exchange.requestId());
                InferenceRequest inference =
                        parser.parse(endpoint, exchange.body(), Priority.parse(headers.get(Priority.HEADER)));
                requireKnown(fleet, inference);
                if (inference.stream()) {
                    stream = forwarder.stream(inference, client, this);
                    if (done) {
                        stream = null;
                    }
                } else {
                    whole = forwarder.answer(inference, client);
                    whole.whenComplete((answer, error) -> exchange.onLoop(() -> answered(answer, error)));
                }
            } catch (ApiException e) {
                respond(e);
            } catch (RuntimeException e) {
                respond(new ApiException(
                        HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage(), "internal_error", null));
            } finally {
                MDC.remove(RequestIdFilter.MDC_KEY);
            }
        }

        private void answered(byte[] answer, Throwable error) {
            if (done) {
                return;
            }
            if (error == null) {
                done = true;
                exchange.respond(
                        HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, Unpooled.wrappedBuffer(answer), null);
                return;
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CancellationException) {
                return;
            }
            respond(
                    cause instanceof ApiException api
                            ? api
                            : new ApiException(
                                    HttpStatus.BAD_GATEWAY,
                                    "forwarding failed: " + cause.getMessage(),
                                    "upstream_error",
                                    null));
        }

        private void respond(ApiException error) {
            if (done) {
                return;
            }
            done = true;
            int status = error.status().getCode();
            long retryAfter = error instanceof RoutingRefusedException refused ? refused.retryAfterSeconds() : 0;
            exchange.respondError(
                    status,
                    ErrorBody.of(error.getMessage(), ErrorBody.typeFor(status), error.code(), error.param()),
                    retryAfter > 0 ? Long.toString(retryAfter) : null);
        }

        // The stream's frames (RequestForwarder.StreamSink); the forwarder calls from its own threads.

        @Override
        public void next(byte[] frame) {
            if (!exchange.inLoop()) {
                exchange.onLoop(() -> next(frame));
                return;
            }
            if (done) {
                return;
            }
            if (!headersSent) {
                headersSent = true;
                exchange.startStream("text/event-stream", true);
            }
            exchange.write(Unpooled.wrappedBuffer(frame));
        }

        @Override
        public void flush() {
            exchange.onLoop(exchange::flush);
        }

        @Override
        public void complete() {
            if (!exchange.inLoop()) {
                exchange.onLoop(this::complete);
                return;
            }
            if (done) {
                return;
            }
            if (!headersSent) {
                // Cannot happen (the forwarder completes only after a frame); answer something well-formed.
                respond(new ApiException(
                        HttpStatus.BAD_GATEWAY, "the stream ended without an answer", "upstream_error", null));
                return;
            }
            done = true;
            exchange.endStream(null);
        }

        @Override
        public void fail(ApiException error) {
            exchange.onLoop(() -> {
                if (headersSent) {
                    complete();
                } else {
                    respond(error);
                }
            });
        }

        @Override
        public boolean wantsMore() {
            return exchange.isWritable();
        }

        @Override
        public void writable() {
            if (stream != null) {
                stream.demand();
            }
        }

        /** The connection closed before the answer ended: the forwarder cancels upstream and frees the slot. */
        @Override
        public void clientGone() {
            if (done) {
                return;
            }
            done = true;
            if (stream != null) {
                stream.cancel();
            }
            if (whole != null) {
                whole.cancel(false);
            }
        }
    }
}
