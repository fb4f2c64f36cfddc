package ai.sovereign.gateway.connection;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a connection whose client has gone quiet while the gateway is waiting for it: before or during a request's
 * headers, during its body, or between requests on a kept-alive connection. It never closes a connection while the
 * gateway is answering (waiting for the router, or streaming), however long that takes. Driven by the reader-idle
 * events of {@code micronaut.server.read-idle-timeout}, which Micronaut itself does not act on.
 */
final class SlowClientGuard extends ChannelDuplexHandler {

    /** True while a request is complete and its response has not been fully written. */
    private boolean answering;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            answering = false;
        }
        if (msg instanceof LastHttpContent) {
            answering = true;
        }
        super.channelRead(ctx, msg);
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
}
