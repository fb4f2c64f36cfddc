package ai.sovereign.router.forward;

import ai.sovereign.events.UsageRecord;
import ai.sovereign.router.queue.SlotLease;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.http.PooledHttpClient;
import java.time.Duration;

/**
 * A streamed request: each attempt is a {@link StreamRelay} into the client's sink; its outcome is recorded here,
 * and one that failed before the first frame starts the next attempt.
 */
final class StreamExchange extends RetryingExchange {

    private final RequestForwarder.StreamSink sink;
    private volatile StreamRelay current;

    StreamExchange(
            Forwarding forwarding, InferenceRequest request, ClientContext client, RequestForwarder.StreamSink sink) {
        super(forwarding, request, client);
        this.sink = sink;
    }

    /** The client can take more. */
    void demand() {
        StreamRelay relay = current;
        if (relay != null) {
            relay.demand();
        }
    }

    @Override
    void send(SlotLease granted, BackendAdapter adapter, UpstreamRequest upstream, long sentNanos) {
        StreamRelay relay = new StreamRelay(
                adapter.streamTranslator(request, client.requestId()),
                sink,
                forwarding.clock(),
                forwarding.retry(),
                granted.server().id(),
                client.startNanos(),
                sentNanos,
                new Attempt(granted, adapter, sentNanos));
        current = relay;
        relay.awaitFirstByte();
        PooledHttpClient.Exchange sent = forwarding.transport().send(upstream, relay);
        relay.reading(sent);
        call = sent;
        if (cancelled || relay.settled()) {
            sent.cancel();
        }
    }

    @Override
    void fail(ApiException error) {
        sink.fail(error);
    }

    @Override
    void cancel() {
        StreamRelay relay = current;
        if (relay != null) {
            relay.stop();
        }
        super.cancel();
    }

    /** What one attempt's relay reports, recorded against its slot. */
    private final class Attempt implements StreamRelay.Progress {

        private final SlotLease lease;
        private final BackendAdapter adapter;
        private final long sentNanos;

        Attempt(SlotLease lease, BackendAdapter adapter, long sentNanos) {
            this.lease = lease;
            this.adapter = adapter;
            this.sentNanos = sentNanos;
        }

        @Override
        public void firstFrame(Duration ttft, double latencyMs) {
            forwarding.recorder().firstToken(request.model(), ttft);
            forwarding.recorder().answered(lease, latencyMs);
        }

        @Override
        public void settled(StreamRelay.Outcome outcome) {
            AttemptRecorder recorder = forwarding.recorder();
            switch (outcome) {
                case StreamRelay.Outcome.FailedBeforeFirstFrame failed -> {
                    if (!cancelled) {
                        attemptFailed(lease, sentNanos, failed.error(), failed.unreachable());
                    }
                }
                case StreamRelay.Outcome.Refused refused ->
                    upstreamStatus(
                            lease,
                            sentNanos,
                            refused.status(),
                            refused.body().length == 0 ? "no error message" : adapter.errorMessage(refused.body()));
                case StreamRelay.Outcome.Ended ended -> {
                    if (ended.errorEvent()) {
                        recorder.failed(lease, ended.latencyMs(), "error event in stream");
                    } else {
                        recorder.succeeded(
                                lease,
                                ended.latencyMs(),
                                ended.ttftMs(),
                                ended.usage().completionTokens());
                    }
                    end(
                            lease,
                            ended.errorEvent() ? UsageRecord.Status.ERROR : UsageRecord.Status.SUCCESS,
                            200,
                            ended.errorEvent() ? "upstream_error" : null,
                            ended.usage(),
                            ended.ttftMs());
                }
                case StreamRelay.Outcome.Broken broken -> {
                    recorder.failed(lease, broken.latencyMs(), broken.error());
                    end(lease, UsageRecord.Status.ERROR, 200, "upstream_error", broken.usage(), broken.ttftMs());
                }
            }
        }
    }
}
