package ai.sovereign.gateway.connection;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client has gone quiet while the gateway is waiting for it: before or during a request's
 * headers, during its body, or between requests on a kept-alive connection. It never closes a connection while the
 * gateway is answering (waiting for the router, or streaming), however long that takes. Driven by the reader-idle
 * events of {@code micronaut.server.read-idle-timeout}, which Micronaut itself does not act on.
 *
 * <p>A client that trickles its body (a byte now and then, never idle long enough) is cut off too: once a body has
 * been arriving for the grace period, it must have come at {@code minBytesPerSecond} on average, checked each second.
 */
final class SlowClientGuard extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);

    private final long minBytesPerSecond;
    private final long graceNanos;

    /** True while a request is complete and its response has not been fully written. */
    private boolean answering;

    private long bodyStartNanos;
    private long bodyBytes;
    private ScheduledFuture<?> rateCheck;

    SlowClientGuard(long minBytesPerSecond, Duration grace) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            answering = false;
            if (!(msg instanceof LastHttpContent)) {
                bodyStarted(ctx);
            }
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
        }
        if (msg instanceof LastHttpContent) {
            answering = true;
            bodyEnded();
        }
        super.channelRead(ctx, msg);
    }

    private void bodyStarted(ChannelHandlerContext ctx) {
        bodyEnded();
        if (minBytesPerSecond == 0) {
            return;
        }
        bodyStartNanos = System.nanoTime();
        bodyBytes = 0;
        rateCheck = ctx.executor()
                .scheduleAtFixedRate(
                        () -> checkRate(ctx), graceNanos, TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    }

    private void checkRate(ChannelHandlerContext ctx) {
        double seconds = (System.nanoTime() - bodyStartNanos) / 1e9;
        if (bodyBytes < minBytesPerSecond * seconds) {
            LOG.debug(
                    "closing {}: its request body came at {} bytes a second, less than gateway.min-body-rate {}",
                    ctx.channel().remoteAddress(),
                    (long) (bodyBytes / seconds),
                    minBytesPerSecond);
            bodyEnded();
            ctx.close();
        }
    }

    private void bodyEnded() {
        if (rateCheck != null) {
            rateCheck.cancel(false);
            rateCheck = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            answering = false;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && !answering) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        bodyEnded();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        bodyEnded();
        super.channelInactive(ctx);
    }
}
