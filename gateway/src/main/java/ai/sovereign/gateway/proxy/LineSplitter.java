package ai.sovereign.gateway.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Cuts a byte stream into UTF-8 lines ({@code \n} or {@code \r\n}), holding partial lines across chunks. */
public final class LineSplitter {

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    public List<String> accept(List<ByteBuffer> buffers) {
        List<String> lines = new ArrayList<>();
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    lines.add(take());
                } else {
                    partial.write(b);
                }
            }
        }
        return lines;
    }

    public List<String> accept(byte[] chunk) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                partial.write(chunk, from, i - from);
                lines.add(take());
                from = i + 1;
            }
        }
        partial.write(chunk, from, chunk.length - from);
        return lines;
    }

    /** What is left after the stream ended without a final line end, or null. */
    public String rest() {
        return partial.size() == 0 ? null : take();
    }

    private String take() {
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
