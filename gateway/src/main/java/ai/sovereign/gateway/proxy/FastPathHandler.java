package ai.sovereign.gateway.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One server connection's part of the {@link FastPath}, behind the HTTP/1.1 codec and in front of Micronaut's
 * handlers. A request whose headers qualify ({@link FastPath#endpointFor}) is held while its body arrives; then the
 * fast path either serves it or the held messages go on to Micronaut exactly as they came. Every other request goes
 * straight on.
 *
 * <p>Answers leave in request order: the fast path takes a request only when Micronaut owes no answer on the
 * connection (counted by the responses Micronaut writes through this handler), and what arrives while the fast path
 * is answering (a pipelined request) waits here until that answer is written.
 */
final class FastPathHandler extends ChannelDuplexHandler {

    private enum State {
        /** Between requests. */
        IDLE,
        /** The current request goes to Micronaut, up to its last content. */
        PASSING,
        /** The current request's body is being collected for the fast path. */
        COLLECTING,
        /** The fast path is answering; anything read waits. */
        ANSWERING
    }

    private final FastPath fastPath;
    private State state = State.IDLE;
    /** Requests handed to Micronaut whose response has not ended yet. */
    private int owedByMicronaut;
    private final List<Object> held = new ArrayList<>();
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private FastPath.Endpoint endpoint;
    private long startNanos;
    private byte[] body;
    private int filled;
    private FastPath.Answer answer;
    private boolean readDeferred;

    FastPathHandler(FastPath fastPath) {
        this.fastPath = fastPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case ANSWERING -> waiting.add(msg);
            case PASSING -> {
                if (msg instanceof LastHttpContent) {
                    state = State.IDLE;
                }
                ctx.fireChannelRead(msg);
            }
            case COLLECTING -> collect(ctx, msg);
            case IDLE -> {
                if (!(msg instanceof HttpRequest request)) {
                    ctx.fireChannelRead(msg);
                    return;
                }
                FastPath.Endpoint target = owedByMicronaut == 0 ? fastPath.endpointFor(request) : null;
                if (target == null) {
                    owedByMicronaut++;
                    state = msg instanceof LastHttpContent ? State.IDLE : State.PASSING;
                    ctx.fireChannelRead(msg);
                    return;
                }
                state = State.COLLECTING;
                endpoint = target;
                startNanos = System.nanoTime();
                body = new byte[(int) io.netty.handler.codec.http.HttpUtil.getContentLength(request)];
                filled = 0;
                collect(ctx, msg);
            }
        }
    }

    private void collect(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (msg instanceof HttpContent content) {
            int readable = content.content().readableBytes();
            if (content.decoderResult().isFailure() || filled + readable > body.length) {
                passHeld(ctx);
                return;
            }
            content.content().getBytes(content.content().readerIndex(), body, filled, readable);
            filled += readable;
        } else if (!(msg instanceof HttpRequest)) {
            passHeld(ctx);
            return;
        }
        if (msg instanceof LastHttpContent) {
            if (filled != body.length) {
                passHeld(ctx);
                return;
            }
            FastPath.Answer taken;
            try {
                taken = fastPath.serve(ctx, this, endpoint, (HttpRequest) held.getFirst(), body, startNanos);
            } catch (RuntimeException e) {
                taken = null;
            }
            if (taken == null) {
                passHeld(ctx);
                return;
            }
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            body = null;
            if (state == State.COLLECTING) {    // else: already answered (an immediate failure)
                state = State.ANSWERING;
                answer = taken;
            }
        }
    }

    /** The held request goes to Micronaut as it came. */
    private void passHeld(ChannelHandlerContext ctx) {
        owedByMicronaut++;
        body = null;
        List<Object> messages = new ArrayList<>(held);
        held.clear();
        state = messages.getLast() instanceof LastHttpContent ? State.IDLE : State.PASSING;
        for (Object message : messages) {
            ctx.fireChannelRead(message);
        }
    }

    /** The fast path's answer is written: what waited is read now, in order. */
    void answered(ChannelHandlerContext ctx) {
        answer = null;
        state = State.IDLE;
        boolean any = false;
        Object next;
        while (state != State.ANSWERING && (next = waiting.poll()) != null) {
            channelRead(ctx, next);
            any = true;
        }
        if (any && state != State.ANSWERING) {
            ctx.fireChannelReadComplete();
        }
        if (readDeferred && state != State.ANSWERING) {
            readDeferred = false;
            ctx.read();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (state == State.ANSWERING && !waiting.isEmpty()) {
            readDeferred = true;    // a pipelining client waits until this answer is out
            return;
        }
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Only Micronaut's writes pass here (the fast path writes from this handler's context, in front of it).
        if (msg instanceof LastHttpContent && owedByMicronaut > 0
                && !(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
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
    public void channelInactive(ChannelHandlerContext ctx) {
        if (answer != null) {
            answer.clientGone();
            answer = null;
        }
        releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    private void releaseAll() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
    }
}
