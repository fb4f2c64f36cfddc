package ai.sovereign.simulator.inference;

import ai.sovereign.simulator.behaviour.ConcurrencyLimiter;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.KvCacheModel;
import ai.sovereign.simulator.generation.Prompt;
import ai.sovereign.simulator.http.ConnectionReset;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.metrics.FailureKind;
import ai.sovereign.simulator.metrics.ModelStats;
import ai.sovereign.simulator.model.KeepAlive;
import ai.sovereign.simulator.model.SimulatedModel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Plays out one inference request on its channel's event loop according to the model's behaviour:
 * queue for a slot, then slow start, failures, load time, time to first token and inter-token
 * gaps, each as a scheduled task rather than a sleeping thread. All state is touched only on the
 * event loop; the limiter may grant from another thread, so grants hop back onto it.
 */
public final class InferenceExchange implements ConcurrencyLimiter.Ticket {

    private final HttpExchange http;
    private final Channel channel;
    private final SimulatedModel model;
    private final ModelBehaviour behaviour;
    private final ModelStats stats;
    private final InferenceResponder responder;
    private final Duration keepAlive;
    private final KvCacheModel kvCache; // null: no prefix cache, no prefill cost
    private final Prompt prompt;
    private final long receivedNanos = System.nanoTime();
    private final ChannelFutureListener onClose = f -> clientGone();

    private boolean granted;
    private boolean finished;
    private boolean hung;
    private int emitted;
    private long loadNanos;
    private long promptStartNanos;
    private long firstTokenNanos;
    private ScheduledFuture<?> timer;

    /**
     * @param behaviour the snapshot of the model's behaviour this request plays out
     * @param keepAlive how long the model stays loaded afterwards (zero unloads it when done)
     */
    public InferenceExchange(
            HttpExchange http,
            SimulatedModel model,
            ModelBehaviour behaviour,
            ModelStats stats,
            InferenceResponder responder,
            Duration keepAlive) {
        this(http, model, behaviour, stats, responder, keepAlive, null, null);
    }

    /**
     * With the server's KV cache: the first token also waits for the prompt's uncached tokens to be prefilled
     * ({@link KvCacheModel#admit}).
     */
    public InferenceExchange(
            HttpExchange http,
            SimulatedModel model,
            ModelBehaviour behaviour,
            ModelStats stats,
            InferenceResponder responder,
            Duration keepAlive,
            KvCacheModel kvCache,
            Prompt prompt) {
        this.kvCache = prompt == null ? null : kvCache;
        this.prompt = prompt;
        this.http = http;
        this.channel = http.channel();
        this.model = model;
        this.behaviour = behaviour;
        this.stats = stats;
        this.responder = responder;
        this.keepAlive = keepAlive;
    }

    /** Starts the request; call on the channel's event loop. */
    public void start() {
        if (behaviour.unavailable()) {
            stats.failed(FailureKind.UNAVAILABLE);
            responder.sendError(
                    http,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "model \"" + model.name() + "\" is unavailable (simulated)");
            return;
        }
        channel.closeFuture().addListener(onClose);
        model.limiter().acquire(this);
    }

    @Override
    public void granted() {
        if (channel.eventLoop().inEventLoop()) {
            onGranted();
        } else {
            channel.eventLoop().execute(this::onGranted);
        }
    }

    private void onGranted() {
        granted = true;
        if (finished) {
            // The client left while the grant was on its way here.
            model.limiter().release();
            return;
        }
        if (behaviour.hang()) {
            hung = true;
            stats.failed(FailureKind.HANG);
            return;
        }
        after(behaviour.slowStart().toNanos(), this::begin);
    }

    private void begin() {
        if (model.drawsError(behaviour.errorRate())) {
            stats.failed(FailureKind.ERROR);
            responder.sendError(
                    http,
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "simulated internal server error for model \"" + model.name() + "\"");
            finish();
            return;
        }
        if (behaviour.resetsWithin(responder.steps()) && behaviour.resetAfterTokens() == 0) {
            reset();
            return;
        }
        boolean cold = model.load(keepAlive.isZero() ? KeepAlive.DEFAULT : keepAlive, Instant.now());
        loadNanos = cold ? behaviour.loadTime().toNanos() : 0;
        if (responder.streaming()) {
            http.startStream(responder.streamContentType());
        }
        promptStartNanos = System.nanoTime() + loadNanos;
        long prefillNanos = kvCache == null
                ? 0
                : kvCache.admit(prompt.text(), prompt.tokens(), promptStartNanos)
                        .prefillDelayNanos();
        after(loadNanos + prefillNanos + behaviour.timeToFirstToken().toNanos(), this::firstToken);
    }

    private void firstToken() {
        firstTokenNanos = System.nanoTime();
        if (responder.streaming()) {
            emitNext();
            return;
        }
        int steps = responder.steps();
        long gap = behaviour.interTokenLatency().toNanos();
        if (behaviour.resetsWithin(steps)) {
            after(gap * (behaviour.resetAfterTokens() - 1), this::reset);
        } else {
            after(gap * Math.max(steps - 1, 0), this::sendComplete);
        }
    }

    private void emitNext() {
        int steps = responder.steps();
        boolean burst = behaviour.interTokenLatency().isZero();
        while (emitted < steps) {
            http.writeChunk(responder.step(channel.alloc(), emitted), !burst);
            emitted++;
            if (emitted == behaviour.resetAfterTokens()) {
                reset();
                return;
            }
            if (!burst && emitted < steps) {
                after(behaviour.interTokenLatency().toNanos(), this::emitNext);
                return;
            }
        }
        countSucceeded();
        http.writeChunk(responder.streamEnd(channel.alloc(), timings()), false);
        http.endStream();
        finish();
    }

    private void sendComplete() {
        countSucceeded();
        http.sendJson(HttpResponseStatus.OK, responder.complete(timings()));
        finish();
    }

    private Timings timings() {
        long now = System.nanoTime();
        return new Timings(now - receivedNanos, loadNanos, firstTokenNanos - promptStartNanos, now - firstTokenNanos);
    }

    /**
     * Counts the answer as completed before its last bytes are written: whoever reads the answer (a proxy, a test)
     * then never sees it before the simulator's count does.
     */
    private void countSucceeded() {
        stats.completed(responder.promptTokens(), responder.completionTokens());
    }

    private void reset() {
        stats.failed(FailureKind.RESET);
        finish();
        ConnectionReset.reset(channel);
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        if (!hung) {
            stats.failed(FailureKind.CLIENT_ABORT);
        }
        if (!granted) {
            // Still queued: leave the queue. If the grant is already in flight, onGranted releases.
            model.limiter().cancel(this);
        }
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        // Keep-alive connections serve many requests; do not pile up one listener per request.
        ChannelFuture closeFuture = channel.closeFuture();
        closeFuture.removeListener(onClose);
        if (granted) {
            model.limiter().release();
        }
        if (keepAlive.isZero()) {
            model.unload();
        }
    }

    private void after(long nanos, Runnable task) {
        if (nanos <= 0) {
            task.run();
        } else {
            timer = channel.eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
        }
    }
}
