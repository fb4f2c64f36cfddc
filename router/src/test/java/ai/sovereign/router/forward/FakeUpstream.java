package ai.sovereign.router.forward;

import ai.sovereign.runtime.http.PooledHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The servers' side of the wire, played by the test: each request sent is a {@link Call} the test answers. */
final class FakeUpstream implements Forwarding.Transport {

    final List<Call> calls = new ArrayList<>();

    @Override
    public PooledHttpClient.Exchange send(UpstreamRequest request, PooledHttpClient.Listener listener) {
        Call call = new Call(request, listener);
        calls.add(call);
        return call;
    }

    Call last() {
        return calls.getLast();
    }

    /** One request in flight; the test delivers the server's answer as the pooled client would. */
    static final class Call implements PooledHttpClient.Exchange {

        final UpstreamRequest request;
        final PooledHttpClient.Listener listener;
        boolean cancelled;
        boolean paused;

        Call(UpstreamRequest request, PooledHttpClient.Listener listener) {
            this.request = request;
            this.listener = listener;
        }

        String server() {
            return request.uri().getHost();
        }

        void headers(int status) {
            listener.onHeaders(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status)));
        }

        void content(String text) {
            ByteBuf buffer = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            try {
                listener.onContent(buffer);
            } finally {
                buffer.release();
            }
        }

        void complete() {
            listener.onComplete();
        }

        void fail(Throwable error) {
            listener.onError(error);
        }

        /** A whole answer: status, body, end. */
        void answer(int status, String body) {
            headers(status);
            if (!body.isEmpty()) {
                content(body);
            }
            complete();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }
    }
}
