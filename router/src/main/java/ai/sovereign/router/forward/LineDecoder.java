package ai.sovereign.router.forward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

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

    /** The last line when the stream ended without a newline. */
    public void finish(Consumer<String> lines) {
        if (length > 0) {
            lines.accept(new String(pending, 0, length, StandardCharsets.UTF_8));
            length = 0;
        }
    }
}
