package ai.sovereign.runtime.fastlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.metrics.HttpRequestTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fast lane on one connection, between a stand-in for the codec (the test writing requests) and a stand-in for
 * Micronaut's handler: what it claims, what it hands on unchanged, the order of answers on a pipelining connection,
 * reading paused meanwhile, and what every answer carries.
 */
class FastLaneHandlerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestRoute route = new TestRoute();
    private final Micronaut micronaut = new Micronaut();
    private final ReadCounter reads = new ReadCounter();
    private EmbeddedChannel channel;

    @BeforeEach
    void connect() {
        channel = new EmbeddedChannel(
                reads, new FastLaneHandler<>(route, new HttpRequestTimer(meters), () -> true), micronaut);
        channel.config().setAutoRead(false); // as Micronaut's handler sets it: reads happen when asked for
        reads.count = 0;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        micronaut.received.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void aRequestTheRouteDoesNotClaimGoesStraightToMicronaut() {
        FullHttpRequest other = post("/other", "{}");
        channel.writeInbound(other);
        assertEquals(List.of(other), micronaut.received);
        assertTrue(route.served.isEmpty());
    }

    @Test
    void onlyWellFramedHttp11RequestsAreOfferedToTheRoute() {
        FullHttpRequest http10 = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.POST, "/fast");
        FullHttpRequest expect = post("/fast", "{}");
        expect.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);
        FullHttpRequest gzip = post("/fast", "{}");
        gzip.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        for (FullHttpRequest request : List.of(http10, expect, gzip)) {
            channel.writeInbound(request);
            answerAsMicronaut();
        }
        assertEquals(List.of(http10, expect, gzip), micronaut.received);
        assertTrue(route.served.isEmpty());
    }

    @Test
    void aClaimedRequestIsAnsweredWithDateRequestIdAndTiming() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/fast/chat");
        head.headers()
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Request-Id", "client-7");
        channel.writeInbound(head, content("{\"a\":"), last("1}"));
        assertTrue(micronaut.received.isEmpty());
        FastExchange exchange = route.served.getFirst();
        assertEquals("{\"a\":1}", new String(exchange.body(), StandardCharsets.UTF_8));
        assertEquals("client-7", exchange.requestId());

        exchange.respond(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, text("{\"ok\":true}"), null);
        FullHttpResponse response = channel.readOutbound();
        assertEquals(200, response.status().code());
        assertEquals("client-7", response.headers().get("X-Request-Id"));
        assertEquals("application/json", response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("11", response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(29, response.headers().get(HttpHeaderNames.DATE).length(), "an IMF-fixdate");
        assertNull(response.headers().get(HttpHeaderNames.CONNECTION));
        assertEquals("{\"ok\":true}", response.content().toString(StandardCharsets.UTF_8));
        response.release();
        Timer timer = meters.find("http.server.requests")
                .tags("method", "POST", "uri", "/fast", "status", "200")
                .timer();
        assertNotNull(timer);
        assertEquals(1, timer.count());
        assertTrue(exchange.done());
    }

    @Test
    void aBadRequestIdIsReplacedByAFreshOne() {
        FullHttpRequest request = post("/fast", "{}");
        request.headers().set("X-Request-Id", "no good/id");
        channel.writeInbound(request);
        assertEquals(4, UUID.fromString(route.served.getFirst().requestId()).version());
    }

    @Test
    void anErrorAnswerCarriesTheOpenAiBodyAndRetryAfter() {
        channel.writeInbound(post("/fast", "{}"));
        route.served.getFirst().respondError(503, ErrorBody.of("queue full", "server_error", "queue_full", null), "2");
        FullHttpResponse response = channel.readOutbound();
        assertEquals(503, response.status().code());
        assertEquals("2", response.headers().get(HttpHeaderNames.RETRY_AFTER));
        assertEquals(
                "{\"error\":{\"message\":\"queue full\",\"type\":\"server_error\",\"code\":\"queue_full\",\"param\":null}}",
                response.content().toString(StandardCharsets.UTF_8));
        response.release();
    }

    @Test
    void aStreamedAnswerIsAChunkedHeadItsPiecesAndAnEnd() {
        channel.writeInbound(post("/fast", "{}"));
        FastExchange exchange = route.served.getFirst();
        exchange.startStream("text/event-stream", true);
        exchange.write(text("data: 1\n\n"));
        exchange.flush();
        exchange.endStream(text("data: [DONE]\n\n"));
        exchange.write(text("after the end"));

        HttpResponse head = channel.readOutbound();
        assertEquals("text/event-stream", head.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("chunked", head.headers().get(HttpHeaderNames.TRANSFER_ENCODING));
        assertEquals("no-cache", head.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertNotNull(head.headers().get("X-Request-Id"));
        assertEquals("data: 1\n\n", body(channel.readOutbound()));
        assertEquals("data: [DONE]\n\n", body(channel.readOutbound()));
        assertInstanceOf(LastHttpContent.class, channel.readOutbound());
        assertNull(channel.readOutbound(), "nothing after the end");
        assertEquals(
                1,
                meters.find("http.server.requests").tag("status", "200").timer().count());
    }

    @Test
    void aRequestTheRouteDeclinesReachesMicronautAsItCame() {
        route.decline = true;
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/fast");
        HttpContent first = content("{\"a\":");
        LastHttpContent rest = last("1}");
        channel.writeInbound(head, first, rest);
        assertEquals(List.of(head, first, rest), micronaut.received);
        assertEquals(1, first.refCnt(), "not released on the way");
        assertEquals(1, route.declined);
        assertNull(channel.readOutbound());
    }

    @Test
    void aBodyLongerThanTheClaimAllowsGoesToMicronaut() {
        route.maxBody = 4;
        HttpRequest chunked = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/fast");
        HttpContent first = content("abc");
        HttpContent second = content("def");
        LastHttpContent end = last("");
        channel.writeInbound(chunked, first, second, end);
        assertEquals(List.of(chunked, first, second, end), micronaut.received);

        answerAsMicronaut();
        FullHttpRequest declaredTooLong = post("/fast", "abcdef");
        channel.writeInbound(declaredTooLong);
        assertSame(declaredTooLong, micronaut.received.getLast());
        assertTrue(route.served.isEmpty());
    }

    @Test
    void pipelinedRequestsWaitForTheAnswerWithReadingPaused() {
        FullHttpRequest other = post("/other", "{}");
        channel.writeInbound(post("/fast", "{}"), other);
        assertTrue(micronaut.received.isEmpty(), "the second request waits for the first one's answer");
        channel.read();
        assertEquals(0, reads.count, "no more is read while a request waits");

        int completed = micronaut.readsCompleted;
        route.served.getFirst().respond(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, text("{}"), null);
        assertEquals(List.of(other), micronaut.received);
        assertEquals(completed + 1, micronaut.readsCompleted, "told the read is complete, so it answers");
        assertEquals(1, reads.count, "the paused read goes on");
        channel.read();
        assertEquals(2, reads.count);
    }

    @Test
    void aRouteThatAnswersAtOnceLetsTheNextRequestsThrough() {
        route.refuseAtOnce = true;
        channel.writeInbound(post("/fast", "{}"), post("/fast", "{}"), post("/fast", "{}"));
        assertEquals(3, route.served.size());
        for (int i = 0; i < 3; i++) {
            FullHttpResponse refused = channel.readOutbound();
            assertEquals(429, refused.status().code());
            refused.release();
        }
    }

    @Test
    void aClaimableRequestBehindAnAnswerMicronautOwesGoesToMicronaut() {
        FullHttpRequest first = post("/other", "{}");
        FullHttpRequest second = post("/fast", "{}");
        channel.writeInbound(first, second);
        assertEquals(List.of(first, second), micronaut.received);
        assertTrue(route.served.isEmpty());

        answerAsMicronaut();
        channel.writeInbound(post("/fast", "{}"));
        assertEquals(3, micronaut.received.size(), "Micronaut still owes the second answer");
        answerAsMicronaut();
        answerAsMicronaut();
        channel.writeInbound(post("/fast", "{}"));
        assertEquals(3, micronaut.received.size());
        assertEquals(1, route.served.size(), "claimed once Micronaut owes nothing");
    }

    @Test
    void idleEventsAreHeldBackOnlyWhileTheRouteAnswers() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertEquals(1, micronaut.events.size());
        channel.writeInbound(post("/fast", "{}"));
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertEquals(1, micronaut.events.size(), "an answer under way is not idleness");
        route.served.getFirst().respond(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, text("{}"), null);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertEquals(2, micronaut.events.size());
    }

    @Test
    void aRequestThatDoesNotKeepTheConnectionEndsIt() {
        FullHttpRequest request = post("/fast", "{}");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        FullHttpRequest behind = post("/other", "{}");
        channel.writeInbound(request, behind);
        route.served.getFirst().respond(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, text("{}"), null);
        FullHttpResponse response = channel.readOutbound();
        assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
        response.release();
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
        assertTrue(micronaut.received.isEmpty(), "nothing after the last request");
        assertEquals(0, behind.refCnt(), "released");
    }

    @Test
    void theAnswerHearsOfTheClientGoingAndOfWritability() {
        channel.writeInbound(post("/fast", "{}"));
        channel.pipeline().fireChannelWritabilityChanged();
        assertEquals(1, route.writable);
        channel.close();
        assertEquals(1, route.gone);
    }

    // --- stand-ins

    /** Claims {@code /fast...}, counts what it is told; its answers are written by the tests. */
    private static final class TestRoute implements FastRoute<String> {
        final List<FastExchange> served = new ArrayList<>();
        int maxBody = 1024;
        boolean decline;
        boolean refuseAtOnce;
        int declined;
        int writable;
        int gone;

        @Override
        public Claim<String> claim(HttpRequest head) {
            return head.uri().startsWith("/fast") ? new Claim<>(head.uri(), "/fast", maxBody) : null;
        }

        @Override
        public FastAnswer serve(Claim<String> claim, FastExchange exchange) {
            if (decline) {
                declined++;
                return null;
            }
            served.add(exchange);
            if (refuseAtOnce) {
                exchange.respondError(429, ErrorBody.of("slow down", "rate_limit_error", "rate_limited", null), "1");
            }
            return new FastAnswer() {
                @Override
                public void writable() {
                    writable++;
                }

                @Override
                public void clientGone() {
                    gone++;
                }
            };
        }
    }

    /** Takes what reaches Micronaut; answers like it, through the lane. */
    private static final class Micronaut extends ChannelInboundHandlerAdapter {
        final List<Object> received = new ArrayList<>();
        final List<Object> events = new ArrayList<>();
        int readsCompleted;
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readsCompleted++;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    /** Counts the reads that get past the lane to the connection. */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            count++;
            ctx.read();
        }
    }

    private void answerAsMicronaut() {
        micronaut.ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        FullHttpResponse written = channel.readOutbound();
        written.release();
    }

    private static FullHttpRequest post(String uri, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri, text(body));
        request.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        return request;
    }

    private static HttpContent content(String text) {
        return new DefaultHttpContent(text(text));
    }

    private static LastHttpContent last(String text) {
        return new DefaultLastHttpContent(text(text));
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static String body(HttpContent content) {
        try {
            return content.content().toString(StandardCharsets.UTF_8);
        } finally {
            content.release();
        }
    }
}
