package ai.sovereign.runtime.fastlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lines come out the same whatever the chunk boundaries, with LF, CRLF and a final unterminated line. */
class LineDecoderTest {

    private static final String STREAM = "data: {\"content\":\"Hé ✓\"}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\nlast\r";
    private static final List<String> LINES =
            List.of("data: {\"content\":\"Hé ✓\"}", "", ": keep-alive", "", "data: [DONE]", "", "last");

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 7, 64, 1024})
    void rawLinesAreTheSameWhateverTheChunkBoundaries(int piece) {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        LineDecoder decoder = new LineDecoder();
        LineDecoder.RawLines collect = (line, length) -> lines.add(new String(line, 0, length, StandardCharsets.UTF_8));
        for (int i = 0; i < bytes.length; i += piece) {
            decoder.feed(Unpooled.wrappedBuffer(bytes, i, Math.min(piece, bytes.length - i)), collect);
        }
        decoder.finish(collect);
        assertEquals(LINES, lines);
    }

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 5, 1024})
    void decodedLinesAreTheSameWhateverTheChunkBoundaries(int piece) {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        LineDecoder decoder = new LineDecoder();
        for (int i = 0; i < bytes.length; i += piece) {
            decoder.feedText(Arrays.copyOfRange(bytes, i, Math.min(i + piece, bytes.length)), lines::add);
        }
        decoder.finishText(lines::add);
        assertEquals(LINES, lines);
    }

    @Test
    void nothingPendingMeansNoLastLine() {
        List<String> lines = new ArrayList<>();
        LineDecoder decoder = new LineDecoder();
        decoder.feedText("a\nb\n".getBytes(StandardCharsets.UTF_8), lines::add);
        decoder.finishText(lines::add);
        decoder.finishText(lines::add);
        assertEquals(List.of("a", "b"), lines);
    }

    @Test
    void theBufferIsReadWithoutMovingItsIndex() {
        var buffer = Unpooled.copiedBuffer("x\ny", StandardCharsets.UTF_8);
        new LineDecoder().feed(buffer, (line, length) -> {});
        assertEquals(0, buffer.readerIndex());
        assertEquals(3, buffer.readableBytes());
    }

    @Test
    void aLineLongerThanTheBoundIsABrokenServer() {
        LineDecoder decoder = new LineDecoder();
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i <= LineDecoder.MAX_LINE / chunk.length; i++) {
                decoder.feed(Unpooled.wrappedBuffer(chunk), (line, length) -> {});
            }
        });
        assertTrue(failure.getMessage().contains("longer than " + LineDecoder.MAX_LINE), failure.getMessage());
    }
}
