package ai.sovereign.runtime.fastlane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines (SSE and NDJSON are both line-based), whatever the chunk boundaries. Splitting on
 * the byte {@code \n} never cuts a UTF-8 character, so each line decodes on its own. {@code \r\n} endings are
 * accepted, and a {@code \r} left at the end of the stream is taken for a line end too.
 */
public final class LineDecoder {

    /** A line longer than this is a broken server, not a token. */
    static final int MAX_LINE = 8 * 1024 * 1024;

    private byte[] pending = new byte[1024];
    private int length;

    /** Receives a line as bytes: {@code line[0, length)}, without its line end; valid only during the call. */
    @FunctionalInterface
    public interface RawLines {
        void accept(byte[] line, int length);
    }

    /**
     * Hands each line completed by {@code buffer} to {@code lines}, without decoding it: in this decoder's own buffer
     * (copy what you keep). The buffer's reader index is left as it is.
     *
     * @throws IllegalStateException when a line grows past 8 MiB
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
            int lineEnd = withoutCarriageReturn();
            length = 0;
            lines.accept(pending, lineEnd);
            index = lf + 1;
        }
    }

    /** Like {@link #feed(ByteBuf, RawLines)}, each line decoded. */
    public void feedText(byte[] chunk, Consumer<String> lines) {
        feed(Unpooled.wrappedBuffer(chunk), decoded(lines));
    }

    /** The last line, as bytes, when the stream ended without a newline. */
    public void finish(RawLines lines) {
        if (length > 0) {
            int n = withoutCarriageReturn();
            length = 0;
            lines.accept(pending, n);
        }
    }

    /** The last line, decoded, when the stream ended without a newline. */
    public void finishText(Consumer<String> lines) {
        finish(decoded(lines));
    }

    private int withoutCarriageReturn() {
        return length > 0 && pending[length - 1] == '\r' ? length - 1 : length;
    }

    private static RawLines decoded(Consumer<String> lines) {
        return (line, n) -> lines.accept(new String(line, 0, n, StandardCharsets.UTF_8));
    }
}
