package ai.sovereign.runtime.fastlane;

import ai.sovereign.runtime.fastlane.FastRoute.Claim;
import ai.sovereign.runtime.metrics.HttpRequestTimer;
import io.micronaut.core.annotation.Nullable;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server connection's fast lane, just in front of Micronaut's request handler. A request its {@link FastRoute}
 * claims is held while its body arrives; then the route serves it, or the held messages go on to Micronaut exactly as
 * they came (the route declined, the body was too long or broken). Every other request goes straight on.
 *
 * <p>Answers leave in request order: a request is claimed only when Micronaut owes no answer on the connection
 * (counted by the responses Micronaut writes through this handler), and what arrives while the lane answers (a
 * pipelining client) waits here, with reading paused, until that answer has ended. While the lane answers, idle events
 * are not passed on: the answer may wait long for its upstream, and Micronaut would close the connection under it.
 */
final class FastLaneHandler<T> extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FastLaneHandler.class);

    private enum State {
        /** Between requests. */
        IDLE,
        /** The current request goes to Micronaut, up to its last content. */
        PASSING,
        /** The current request's body is being collected for the route. */
        COLLECTING,
        /** The route is answering; anything read waits. */
        ANSWERING,
        /** The route answered a request that did not keep the connection alive; anything read is dropped. */
        CLOSING
    }

    private final FastRoute<T> route;
    private final HttpRequestTimer timer;
    /** False while the service takes no new work (its outbox is full): Micronaut's filters answer then. */
    private final java.util.function.BooleanSupplier open;

    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    /** Requests handed to Micronaut whose response has not ended yet. */
    private int owedByMicronaut;
    /** The claimed request's messages so far. */
    private HeldRequest held = new HeldRequest();

    private Claim<T> claim;
    /** The claimed request, from its head to the end of its answer. */
    private FastExchange exchange;

    private FastAnswer answer;
    /** What arrived while the route was answering. Reading pauses while it is not empty, which bounds it. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    private boolean readDeferred;
    private boolean dispatching;
    private boolean draining;
    private boolean passedOn;

    FastLaneHandler(FastRoute<T> route, HttpRequestTimer timer, java.util.function.BooleanSupplier open) {
        this.route = route;
        this.timer = timer;
        this.open = open;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case ANSWERING -> waiting.add(msg);
            case CLOSING -> ReferenceCountUtil.release(msg);
            case PASSING -> {
                if (msg instanceof LastHttpContent) {
                    state = State.IDLE;
                }
                pass(msg);
            }
            case COLLECTING -> collect(msg);
            case IDLE -> {
                if (!(msg instanceof HttpRequest request)) {
                    pass(msg);
                    return;
                }
                Claim<T> claimed = owedByMicronaut == 0 ? claim(request) : null;
                if (claimed == null) {
                    owedByMicronaut++;
                    state = msg instanceof LastHttpContent ? State.IDLE : State.PASSING;
                    pass(msg);
                    return;
                }
                state = State.COLLECTING;
                claim = claimed;
                exchange = new FastExchange(ctx, this, timer, request, claimed.uri());
                collect(msg);
            }
        }
    }

    /** The route's claim, when the request's framing lets the lane take it at all. */
    private @Nullable Claim<T> claim(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!open.getAsBoolean()
                || !request.decoderResult().isSuccess()
                || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                || headers.contains(HttpHeaderNames.EXPECT)
                || headers.contains(HttpHeaderNames.CONTENT_ENCODING)) {
            return null;
        }
        Claim<T> claimed;
        long declared;
        try {
            claimed = route.claim(request);
            declared = HttpUtil.getContentLength(request, -1L);
        } catch (RuntimeException e) {
            LOG.warn(
                    "the fast lane's route could not judge {} {}; Micronaut serves it",
                    request.method(),
                    request.uri(),
                    e);
            return null;
        }
        return claimed == null || declared > claimed.maxBody() ? null : claimed;
    }

    private void collect(Object msg) {
        held.add(msg);
        boolean broken = msg instanceof HttpContent content
                ? content.decoderResult().isFailure()
                : !(msg instanceof HttpRequest);
        if (broken || held.bodyBytes() > claim.maxBody()) {
            handOn();
        } else if (msg instanceof LastHttpContent) {
            dispatch();
        }
    }

    /** The claimed request goes to Micronaut as it came, before its route saw its body. */
    private void handOn() {
        HeldRequest request = takeHeld();
        exchange = null;
        claim = null;
        owedByMicronaut++;
        state = request.ended() ? State.IDLE : State.PASSING;
        request.passTo(this::pass);
    }

    /** The claimed request is whole: its route serves it, or Micronaut does when the route declines. */
    private void dispatch() {
        HeldRequest request = takeHeld();
        FastExchange taken = exchange;
        taken.body(request.body());
        Claim<T> claimed = claim;
        claim = null;
        state = State.ANSWERING;
        FastAnswer served = null;
        dispatching = true;
        try {
            served = route.serve(claimed, taken);
        } catch (RuntimeException e) {
            LOG.warn(
                    "the fast lane's route failed on {} {}",
                    taken.head().method(),
                    taken.head().uri(),
                    e);
        } finally {
            dispatching = false;
        }
        if (served == null && !taken.written()) {
            exchange = null;
            owedByMicronaut++;
            state = State.IDLE;
            request.passTo(this::pass);
            return;
        }
        request.release();
        if (exchange != taken) {
            drain(); // answered already (an immediate refusal)
        } else if (served != null) {
            answer = served;
        } else {
            LOG.warn(
                    "the fast lane's route gave up on {} {} after writing part of its answer; closing the connection",
                    taken.head().method(),
                    taken.head().uri());
            ctx.close();
        }
    }

    /** The held request, taken out before its route runs (which may already start reading the next one). */
    private HeldRequest takeHeld() {
        HeldRequest request = held;
        held = new HeldRequest();
        return request;
    }

    private void pass(Object msg) {
        passedOn = true;
        ctx.fireChannelRead(msg);
    }

    /** {@code ended}'s answer is written: what waited is read now, in order (the connection's end, if it asked). */
    void answered(FastExchange ended) {
        if (ended != exchange) {
            return;
        }
        exchange = null;
        answer = null;
        if (!ended.keepAlive()) {
            state = State.CLOSING;
            releaseQueued();
            return;
        }
        state = State.IDLE;
        if (!dispatching) {
            drain();
        }
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        passedOn = false;
        try {
            Object next;
            while ((state == State.IDLE || state == State.PASSING || state == State.COLLECTING)
                    && (next = waiting.poll()) != null) {
                channelRead(ctx, next);
            }
        } finally {
            draining = false;
        }
        if (passedOn) {
            // what went on to Micronaut went outside a read: it flushes its answers and reads on when a read completes
            ctx.fireChannelReadComplete();
        }
        if (readDeferred && state != State.ANSWERING && state != State.CLOSING) {
            readDeferred = false;
            ctx.read();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (state == State.CLOSING || (state == State.ANSWERING && !waiting.isEmpty())) {
            // a pipelining client's next request waits until this answer is out; a closing connection reads no more
            readDeferred = true;
            return;
        }
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Only Micronaut's writes pass here (the lane writes from this handler's context, in front of it).
        if (msg instanceof LastHttpContent
                && owedByMicronaut > 0
                && !(msg instanceof HttpResponse response
                        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            owedByMicronaut--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (answer != null && ctx.channel().isWritable()) {
            answer.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && state == State.ANSWERING) {
            return; // an answer in progress (waiting for its upstream, or streaming) is not idleness
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FastAnswer gone = answer;
        answer = null;
        exchange = null;
        if (gone != null) {
            gone.clientGone();
        }
        releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    private void releaseAll() {
        held.release();
        releaseQueued();
    }

    private void releaseQueued() {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
    }
}
