package ai.sovereign.router.forward;

import ai.sovereign.router.config.RetrySettings;
import ai.sovereign.runtime.fastlane.LineDecoder;
import ai.sovereign.runtime.fastlane.SseFrames;
import ai.sovereign.runtime.http.PooledHttpClient;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One attempt of a stream: relays the server's stream, line by line through the translator, to the client's sink,
 * reading the server only as fast as the client takes the frames. Until the first frame the attempt can still fail
 * over to another server (no first byte within {@code retry.firstByteTimeoutMs}, an error status, an in-stream error,
 * a broken connection); after it, a failure or a silence of {@code retry.streamIdleTimeoutMs} ends the client's
 * stream with an SSE error event. Exactly one {@link Outcome} settles the attempt, unless the client went away first
 * ({@link #stop()}).
 *
 * <p>The server's callbacks come on its event loop, the alarms on the clock's thread; the state they share is
 * guarded by this object's lock, and {@link #settled} lets only the first outcome through.
 */
final class StreamRelay implements PooledHttpClient.Listener {

    /** How much of a server's error body is kept for the message. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** The idle watch checks every quarter of the idle timeout, but never more often than this. */
    private static final long MIN_IDLE_CHECK_MS = 50;

    /** How an attempt settled. */
    sealed interface Outcome {

        /** Nothing reached the client: the attempt failed and the request may go to another server. */
        record FailedBeforeFirstFrame(String error, boolean unreachable) implements Outcome {}

        /** The server answered with an error status before anything reached the client; {@code body} its start. */
        record Refused(int status, byte[] body) implements Outcome {}

        /** The stream ended as the server meant it to: its end marker, or an error event after the first frame. */
        record Ended(
                double latencyMs,
                UsageTally usage,
                @Nullable Double ttftMs,
                boolean errorEvent) implements Outcome {}

        /** The stream broke after its first frame; the client gets an error event and the end of the stream. */
        record Broken(
                double latencyMs,
                String error,
                UsageTally usage,
                @Nullable Double ttftMs) implements Outcome {}
    }

    /** Who hears of the attempt's progress: the request it is for. */
    interface Progress {

        /** The first frame is about to reach the client. */
        void firstFrame(Duration ttft, double latencyMs);

        /** The attempt settled (called at most once, before the client's stream is completed). */
        void settled(Outcome outcome);
    }

    private final StreamTranslator translator;
    private final RequestForwarder.StreamSink sink;
    private final ForwardClock clock;
    private final Supplier<RetrySettings> retry;
    private final String serverId;
    private final long clientStartNanos;
    private final long sentNanos;
    private final Progress progress;
    private final LineDecoder lines = new LineDecoder();
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Reading the server is paused until the client wants more. */
    private final AtomicBoolean wanting = new AtomicBoolean();
    /** Each line of the server's stream into the translator, its events out to the client. */
    private final LineDecoder.RawLines relay;

    private volatile ForwardClock.Alarm firstByteTimer;
    private volatile ForwardClock.Alarm idleWatch;
    private volatile PooledHttpClient.Exchange upstream;
    /** The server's error status (not 2xx), whose body is collected for the message; 0 while fine. */
    private int errorStatus;

    private ByteArrayOutputStream errorBody;
    private volatile boolean emitted;
    private volatile long lastActivityNanos;
    private Double ttftMs;

    /**
     * @param clientStartNanos when the client's request arrived, for the time to first token
     * @param sentNanos        when this attempt's request was sent, for the server's latency
     */
    StreamRelay(
            StreamTranslator translator,
            RequestForwarder.StreamSink sink,
            ForwardClock clock,
            Supplier<RetrySettings> retry,
            String serverId,
            long clientStartNanos,
            long sentNanos,
            Progress progress) {
        this.translator = translator;
        this.sink = sink;
        this.clock = clock;
        this.retry = retry;
        this.serverId = serverId;
        this.clientStartNanos = clientStartNanos;
        this.sentNanos = sentNanos;
        this.progress = progress;
        Consumer<byte[]> emitter = this::emit;
        this.relay = (line, length) -> translator.onLine(line, length, emitter);
    }

    /** Starts the first-byte timeout; call before the request is sent. */
    void awaitFirstByte() {
        firstByteTimer = clock.after(
                retry.get().firstByteTimeoutMs(),
                () -> failBeforeFirstByte(
                        "no first byte within " + retry.get().firstByteTimeoutMs() + " ms (retry.firstByteTimeoutMs)",
                        false));
    }

    /** The request in flight, which the relay pauses, resumes and cancels. */
    void reading(PooledHttpClient.Exchange exchange) {
        upstream = exchange;
    }

    /** Whether the attempt's outcome is decided (or the client went away). */
    boolean settled() {
        return settled.get();
    }

    /** Claims the attempt's outcome; false when something else already decided it. */
    private boolean settle() {
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
            if (errorBody.size() < MAX_ERROR_BODY) {
                byte[] bytes = new byte[Math.min(MAX_ERROR_BODY - errorBody.size(), content.readableBytes())];
                content.readBytes(bytes);
                errorBody.writeBytes(bytes);
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
            sink.flush();
        }
        PooledHttpClient.Exchange reading = upstream;
        if (reading != null && emitted && !sink.wantsMore() && wanting.compareAndSet(false, true)) {
            // The client reads slower than the server writes: stop reading the server until it catches up.
            reading.pause();
            if (sink.wantsMore()) {
                demand();
            }
        }
    }

    /** The client can take more: reading the server resumes if it was paused. */
    void demand() {
        PooledHttpClient.Exchange s = upstream;
        if (s != null && wanting.compareAndSet(true, false)) {
            s.resume();
        }
    }

    private void emit(byte[] frame) {
        lastActivityNanos = clock.nanoTime();
        if (!emitted) {
            emitted = true;
            cancel(firstByteTimer);
            long now = clock.nanoTime();
            ttftMs = (now - clientStartNanos) / 1e6;
            progress.firstFrame(Duration.ofNanos(now - clientStartNanos), (now - sentNanos) / 1e6);
            long idle = retry.get().streamIdleTimeoutMs();
            idleWatch = clock.every(idle, Math.max(MIN_IDLE_CHECK_MS, idle / 4), this::checkIdle);
        }
        sink.next(frame);
    }

    private void checkIdle() {
        long idle = retry.get().streamIdleTimeoutMs();
        if (clock.nanoTime() - lastActivityNanos > idle * 1_000_000) {
            synchronized (this) {
                failMidStream("the server sent nothing for " + idle + " ms (retry.streamIdleTimeoutMs)");
            }
        }
    }

    @Override
    public synchronized void onError(Throwable error) {
        if (emitted) {
            failMidStream(ExchangeFailures.describe(error));
        } else {
            failBeforeFirstByte(ExchangeFailures.describe(error), ExchangeFailures.unreachable(error));
        }
    }

    @Override
    public synchronized void onComplete() {
        if (settled.get()) {
            return;
        }
        if (errorStatus != 0) {
            if (settle()) {
                progress.settled(new Outcome.Refused(errorStatus, errorBody.toByteArray()));
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
            progress.settled(
                    new Outcome.Ended(millisSince(sentNanos), translator.usage(), ttftMs, translator.failed()));
            sink.complete();
        }
    }

    private synchronized void failBeforeFirstByte(String error, boolean unreachable) {
        if (emitted) {
            failMidStream(error);
            return;
        }
        if (!settle()) {
            return;
        }
        stopUpstream();
        progress.settled(new Outcome.FailedBeforeFirstFrame(error, unreachable));
    }

    /** After the first byte: no retry; the client gets an error event and the end of the stream. */
    private void failMidStream(String error) {
        if (!settle()) {
            return;
        }
        stopUpstream();
        progress.settled(new Outcome.Broken(millisSince(sentNanos), error, translator.usage(), ttftMs));
        sink.next(SseFrames.error(
                "the inference server " + serverId + " failed after the answer had started: " + error,
                "upstream_error"));
        sink.complete();
    }

    /** The client went away: nothing more is read or reported. */
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

    private double millisSince(long nanos) {
        return (clock.nanoTime() - nanos) / 1e6;
    }

    private static void cancel(ForwardClock.Alarm alarm) {
        if (alarm != null) {
            alarm.cancel();
        }
    }
}
