package ai.sovereign.router.forward;

import ai.sovereign.events.UsageRecord;
import ai.sovereign.router.balance.RoutingHint;
import ai.sovereign.router.config.RetrySettings;
import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.queue.QueueTimeoutException;
import ai.sovereign.router.queue.QueuedRequest;
import ai.sovereign.router.queue.RouteDecision;
import ai.sovereign.router.queue.RouteRequest;
import ai.sovereign.router.queue.SlotLease;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.http.PooledHttpClient;
import io.micronaut.http.HttpStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client request across its attempts: the retry state machine. Each attempt takes a slot (now, or after waiting
 * in the queue), preferring servers the request has not failed on, and sends the adapter's request there. While
 * nothing has reached the client, a failed attempt counts against its server and the next one starts, until
 * {@code retry.maxAttempts} are used up; see {@link StatusVerdict} for the server's error statuses. Subclasses send
 * each attempt and read its answer, whole or streamed, and report back through {@link #attemptFailed},
 * {@link #upstreamStatus} and {@link #end}.
 */
abstract class RetryingExchange {

    final Forwarding forwarding;
    final InferenceRequest request;
    final ClientContext client;
    private final Set<String> tried = ConcurrentHashMap.newKeySet();
    private final RoutingHint hint;
    private final AtomicBoolean over = new AtomicBoolean();
    volatile boolean cancelled;
    private volatile QueuedRequest ticket;
    private volatile SlotLease lease;
    /** The attempt's request in flight, cancelled when the client goes away. */
    volatile PooledHttpClient.Exchange call;

    private int attempts;
    private String lastError = "no server was tried";

    RetryingExchange(Forwarding forwarding, InferenceRequest request, ClientContext client) {
        this.forwarding = forwarding;
        this.request = request;
        this.client = client;
        this.hint = RoutingHint.of(request, client.sessionId());
    }

    /**
     * What a status other than 2xx from the server, before anything reached the client, means for the request. Any
     * status has a verdict, also those Micronaut's {@link HttpStatus} has no constant for (419, 499, 599 ...).
     */
    enum StatusVerdict {
        /**
         * The server's trouble (5xx, 429 busy, 408 timeout, and 1xx/3xx as a final answer: the router follows no
         * redirect, so one means a misconfigured server URL): counts against it; another server is tried.
         */
        RETRY_ELSEWHERE,
        /** 404: the server no longer has the model (discovery is behind): not its fault, another server is tried. */
        MODEL_GONE,
        /** Any other 4xx, the client's own mistake as the server saw it: the client gets it; the server is fine. */
        CLIENT_ERROR;

        static StatusVerdict of(int status) {
            if (status == 404) {
                return MODEL_GONE;
            }
            boolean clientError = status >= 400 && status < 500 && status != 429 && status != 408;
            return clientError ? CLIENT_ERROR : RETRY_ELSEWHERE;
        }
    }

    /**
     * The client's error for the server's 4xx: the same status, or 400 for one {@link HttpStatus} does not know (as
     * RFC 9110 §15 treats an unrecognised status as the x00 of its class), its message then naming the server's status.
     */
    static ApiException clientError(int status, String message) {
        for (HttpStatus known : HttpStatus.values()) {
            if (known.getCode() == status) {
                return new ApiException(known, message, "upstream_rejected", null);
            }
        }
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                "the inference server answered HTTP " + status + ": " + message,
                "upstream_rejected",
                null);
    }

    RetrySettings retry() {
        return forwarding.retry().get();
    }

    /** Starts the next attempt, or gives up when the attempts are used up. */
    final void next() {
        if (cancelled) {
            return;
        }
        if (attempts >= retry().maxAttempts()) {
            refuse(
                    new ApiException(
                            HttpStatus.BAD_GATEWAY,
                            "model '" + request.model() + "' failed on "
                                    + attempts + " server(s) (retry.maxAttempts " + retry().maxAttempts()
                                    + "); last error: "
                                    + lastError,
                            "upstream_error",
                            null),
                    UsageRecord.Status.ERROR);
            return;
        }
        if (attempts > 0) {
            forwarding.recorder().retried();
        }
        attempts++;
        RouteDecision decision;
        try {
            decision = forwarding
                    .slots()
                    .route(new RouteRequest(client.requestId(), request.model(), request.priority(), tried, hint));
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
                        Throwable cause = ExchangeFailures.unwrap(error);
                        refuse(
                                cause instanceof QueueTimeoutException
                                        ? new RoutingRefusedException(
                                                HttpStatus.GATEWAY_TIMEOUT, cause.getMessage(), "queue_timeout", 0)
                                        : cause,
                                UsageRecord.Status.REJECTED);
                    }
                });
                if (cancelled) {
                    forwarding.slots().cancel(queue.ticket());
                }
            }
            case RouteDecision.Reject reject -> {
                String code = reject.reason() == RouteDecision.Reason.QUEUE_FULL ? "queue_full" : "no_server_available";
                String message = attempts > 1 ? reject.message() + "; earlier attempt: " + lastError : reject.message();
                refuse(
                        new RoutingRefusedException(
                                HttpStatus.SERVICE_UNAVAILABLE, message, code, reject.retryAfterSeconds()),
                        UsageRecord.Status.REJECTED);
            }
        }
    }

    private void start(SlotLease granted) {
        if (cancelled) {
            forwarding.recorder().abandoned(granted);
            granted.release();
            return;
        }
        lease = granted;
        tried.add(granted.server().id());
        ServerSpec spec = granted.server().spec();
        BackendAdapter adapter = forwarding.adapters().of(spec.type());
        UpstreamRequest upstream;
        try {
            upstream = adapter.toUpstream(
                    spec, request, client.requestId(), Duration.ofMillis(retry().firstByteTimeoutMs()));
        } catch (RuntimeException e) {
            granted.release();
            lease = null;
            refuse(e, UsageRecord.Status.ERROR);
            return;
        }
        send(granted, adapter, upstream, forwarding.clock().nanoTime());
    }

    /** Sends {@code upstream} on the slot {@code granted}; the outcome comes back through this class's methods. */
    abstract void send(SlotLease granted, BackendAdapter adapter, UpstreamRequest upstream, long sentNanos);

    /** The attempt failed before anything reached the client: count it against the server, try another. */
    final void attemptFailed(SlotLease failed, long sentNanos, String error, boolean unreachable) {
        forwarding.recorder().failed(failed, millisSince(sentNanos), error);
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
        switch (StatusVerdict.of(status)) {
            case RETRY_ELSEWHERE -> attemptFailed(granted, sentNanos, "HTTP " + status + ": " + message, false);
            case MODEL_GONE -> {
                granted.server().forgetModel(request.model());
                forwarding.recorder().abandoned(granted);
                lastError = granted.server().id() + ": HTTP 404: " + message;
                granted.release();
                lease = null;
                next();
            }
            case CLIENT_ERROR -> {
                forwarding.recorder().succeeded(granted, millisSince(sentNanos), null, 0);
                granted.release();
                lease = null;
                refuse(clientError(status, message), UsageRecord.Status.ERROR);
            }
        }
    }

    /** The attempt on {@code granted}, its outcome recorded, ends the request: frees the slot, records the request. */
    final void end(
            SlotLease granted,
            UsageRecord.Status status,
            int httpStatus,
            String errorType,
            UsageTally usage,
            Double ttftMs) {
        granted.release();
        lease = null;
        finish(granted.server().id(), status, httpStatus, errorType, usage, ttftMs);
    }

    private void finish(
            String serverId,
            UsageRecord.Status status,
            int httpStatus,
            String errorType,
            UsageTally usage,
            Double ttftMs) {
        if (over.compareAndSet(false, true)) {
            forwarding
                    .recorder()
                    .finished(
                            client,
                            request,
                            serverId,
                            status,
                            httpStatus,
                            errorType,
                            usage == null ? 0 : usage.promptTokens(),
                            usage == null ? 0 : usage.completionTokens(),
                            ttftMs);
        }
    }

    /** The request ends without an answer: tell the client why. */
    private void refuse(Throwable error, UsageRecord.Status status) {
        ApiException api = error instanceof ApiException e
                ? e
                : new ApiException(
                        HttpStatus.BAD_GATEWAY, "forwarding failed: " + error.getMessage(), "upstream_error", null);
        finish(null, status, api.status().getCode(), api.code(), null, null);
        fail(api);
    }

    /** The client gets {@code error} instead of an answer. */
    abstract void fail(ApiException error);

    /** The client went away. */
    void cancel() {
        cancelled = true;
        QueuedRequest waiting = ticket;
        if (waiting != null) {
            forwarding.slots().cancel(waiting);
        }
        PooledHttpClient.Exchange inFlight = call;
        if (inFlight != null) {
            inFlight.cancel();
        }
        SlotLease held = lease;
        if (held != null) {
            forwarding.recorder().abandoned(held);
            held.release();
        }
        finish(
                held == null ? null : held.server().id(),
                UsageRecord.Status.CANCELLED,
                499,
                "client_closed_request",
                null,
                null);
    }

    double millisSince(long nanos) {
        return (forwarding.clock().nanoTime() - nanos) / 1e6;
    }
}
