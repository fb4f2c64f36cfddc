package ai.sovereign.runtime.fastlane;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A claimed request's messages while its body arrives, kept as they came: passed on unchanged when Micronaut is to
 * serve the request after all, else read for the body and released.
 */
final class HeldRequest {

    private final List<Object> messages = new ArrayList<>();
    private long bodyBytes;

    void add(Object message) {
        messages.add(message);
        if (message instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
        }
    }

    /** The length of the body so far. */
    long bodyBytes() {
        return bodyBytes;
    }

    /** Whether the request's last content is in. */
    boolean ended() {
        return !messages.isEmpty() && messages.getLast() instanceof LastHttpContent;
    }

    /** The whole body, copied out of the messages (still held). */
    byte[] body() {
        byte[] body = new byte[Math.toIntExact(bodyBytes)];
        int at = 0;
        for (Object message : messages) {
            if (message instanceof HttpContent content) {
                ByteBuf bytes = content.content();
                bytes.getBytes(bytes.readerIndex(), body, at, bytes.readableBytes());
                at += bytes.readableBytes();
            }
        }
        return body;
    }

    /** Hands every message to {@code next}, which owns them from then on. */
    void passTo(Consumer<Object> next) {
        List<Object> all = List.copyOf(messages);
        clear();
        all.forEach(next);
    }

    void release() {
        messages.forEach(ReferenceCountUtil::release);
        clear();
    }

    private void clear() {
        messages.clear();
        bodyBytes = 0;
    }
}
