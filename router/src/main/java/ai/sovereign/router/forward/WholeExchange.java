package ai.sovereign.router.forward;

import ai.sovereign.events.UsageRecord;
import ai.sovereign.router.queue.SlotLease;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.http.PooledHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** A non-streamed request: the server's whole answer, translated, or an error; every attempt retryable. */
final class WholeExchange extends RetryingExchange {

    /** The client's response body, or an {@link ApiException} with the client's status. */
    final CompletableFuture<byte[]> result = new CompletableFuture<>();

    WholeExchange(Forwarding forwarding, InferenceRequest request, ClientContext client) {
        super(forwarding, request, client);
    }

    @Override
    void send(SlotLease granted, BackendAdapter adapter, UpstreamRequest upstream, long sentNanos) {
        call = forwarding.transport().send(upstream, new PooledHttpClient.Listener() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private int status;

            @Override
            public void onHeaders(HttpResponse response) {
                status = response.status().code();
            }

            @Override
            public void onContent(ByteBuf content) {
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                body.writeBytes(bytes);
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
                    attemptFailed(
                            granted, sentNanos, ExchangeFailures.describe(error), ExchangeFailures.unreachable(error));
                }
            }
        });
        if (cancelled) {
            call.cancel();
        }
    }

    private void answered(SlotLease granted, BackendAdapter adapter, long sentNanos, int status, byte[] answer) {
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
        double latencyMs = millisSince(sentNanos);
        forwarding.recorder().answered(granted, latencyMs);
        forwarding.recorder().succeeded(granted, latencyMs, null, usage.completionTokens());
        end(granted, UsageRecord.Status.SUCCESS, 200, null, usage, null);
        result.complete(body);
    }

    @Override
    void fail(ApiException error) {
        result.completeExceptionally(error);
    }
}
