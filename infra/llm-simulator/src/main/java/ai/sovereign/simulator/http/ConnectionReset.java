package ai.sovereign.simulator.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** Ends a connection the way a crashed server does: with a TCP RST instead of an orderly FIN. */
public final class ConnectionReset {

    private ConnectionReset() {}

    /**
     * Lets what was already written reach the socket, then closes with SO_LINGER 0 so the kernel
     * sends RST and the client sees "connection reset" rather than a clean end of stream.
     */
    public static void reset(Channel channel) {
        // An empty write from the first handler's context bypasses the HTTP encoder and completes
        // only after every earlier write has been handed to the socket.
        channel.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        });
    }
}
