package ai.sovereign.router.forward;

import ai.sovereign.events.UsageRecord;
import ai.sovereign.router.queue.SlotLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An {@link AttemptRecorder} that writes down what it is told, instead of feeding breakers, metrics and events. */
final class RecordingRecorder extends AttemptRecorder {

    final List<String> events = new ArrayList<>();
    final List<Double> latenciesMs = new ArrayList<>();
    final List<Duration> ttfts = new ArrayList<>();

    RecordingRecorder() {
        super(null, null, null, null, null);
    }

    @Override
    public void answered(SlotLease lease, double latencyMs) {
        events.add("answered " + lease.server().id());
        latenciesMs.add(latencyMs);
    }

    @Override
    public void succeeded(SlotLease lease, double latencyMs, Double ttftMs, int completionTokens) {
        events.add("succeeded " + lease.server().id());
    }

    @Override
    public void failed(SlotLease lease, double latencyMs, String error) {
        events.add("failed " + lease.server().id() + ": " + error);
    }

    @Override
    public void abandoned(SlotLease lease) {
        events.add("abandoned " + lease.server().id());
    }

    @Override
    public void retried() {
        events.add("retried");
    }

    @Override
    public void firstToken(String model, Duration ttft) {
        events.add("first token");
        ttfts.add(ttft);
    }

    @Override
    public void finished(
            ClientContext client,
            InferenceRequest request,
            String serverId,
            UsageRecord.Status status,
            int httpStatus,
            String errorType,
            int promptTokens,
            int completionTokens,
            Double ttftMs) {
        events.add("finished " + (serverId == null ? "-" : serverId) + " " + status + " " + httpStatus
                + (errorType == null ? "" : " " + errorType));
    }
}
