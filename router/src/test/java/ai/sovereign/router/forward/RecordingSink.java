package ai.sovereign.router.forward;

import ai.sovereign.runtime.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The client's end of a stream, written down; {@link #wantsMore} plays a slow client when false. */
final class RecordingSink implements RequestForwarder.StreamSink {

    final List<String> frames = new ArrayList<>();
    int flushes;
    int completions;
    ApiException failure;
    boolean wantsMore = true;

    @Override
    public void next(byte[] frame) {
        frames.add(new String(frame, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void complete() {
        completions++;
    }

    @Override
    public void fail(ApiException error) {
        failure = error;
    }

    @Override
    public boolean wantsMore() {
        return wantsMore;
    }
}
