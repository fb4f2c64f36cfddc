package ai.sovereign.router.forward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

/**
 * Splits a byte stream into lines (SSE and NDJSON are both line-based), whatever the chunk boundaries. Splitting on
 * the byte {@code \n} never cuts a UTF-8 character, so each line decodes on its own. {@code \r\n} endings are
 * accepted.
 */
public final class LineDecoder {

    /** A line longer than this is a broken server, not a token. */
    static final int MAX_LINE = 8 * 1024 * 1024;

    private byte[] pending = new byte[1024];
    private int length;

    public void feed(ByteBuffer buffer, Consumer<String> lines) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                int end = length > 0 && pending[length - 1] == '\r' ? length - 1 : length;
                lines.accept(new String(pending, 0, end, StandardCharsets.UTF_8));
                length = 0;
            } else {
                if (length == pending.length) {
                    if (length >= MAX_LINE) {
                        throw new IllegalStateException("the server sent a line longer than " + MAX_LINE + " bytes");
                    }
                    pending = Arrays.copyOf(pending, length * 2);
                }
                pending[length++] = b;
            }
        }
    }

    /** Receives a line as bytes: {@code line[0, length)}, without its line end; valid only during the call. */
    @FunctionalInterface
    public interface RawLines {
        void accept(byte[] line, int length);
    }

    /**
     * Like {@link #feed(ByteBuffer, Consumer)}, without decoding: each line is handed over in this decoder's own
     * buffer (copy what you keep). The buffer's reader index is left as it is.
     */
    public void feed(ByteBuf buffer, RawLines lines) {
        int index = buffer.readerIndex();
        int end = buffer.writerIndex();
        while (index < end) {
            int lf = buffer.indexOf(index, end, (byte) '\n');
            int stop = lf < 0 ? end : lf;
            int n = stop - index;
            if (length + n > pending.length) {
                if (length + n > MAX_LINE) {
                    throw new IllegalStateException("the server sent a line longer than " + MAX_LINE + " bytes");
                }
                pending = Arrays.copyOf(pending, Math.max(length + n, Math.min(MAX_LINE, pending.length * 2)));
            }
            buffer.getBytes(index, pending, length, n);
            length += n;
            if (lf < 0) {
                return;
            }
            int lineEnd = length > 0 && pending[length - 1] == '\r' ? length - 1 : length;
            length = 0;
            lines.accept(pending, lineEnd);
            index = lf + 1;
        }
    }

    /** The last line, as bytes, when the stream ended without a newline. */
    public void finish(RawLines lines) {
        if (length > 0) {
            int n = length;
            length = 0;
            lines.accept(pending, n);
        }
    }

    /** The last line when the stream ended without a newline. */
    public void finish(Consumer<String> lines) {
        if (length > 0) {
            lines.accept(new String(pending, 0, length, StandardCharsets.UTF_8));
            length = 0;
        }
    }
}
