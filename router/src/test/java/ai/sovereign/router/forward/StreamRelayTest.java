package ai.sovereign.router.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.config.RetrySettings;
import ai.sovereign.router.forward.StreamRelay.Outcome;
import ai.sovereign.router.forward.openai.OpenAiAdapter;
import ai.sovereign.runtime.fastlane.SseFrames;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * One attempt of a stream, driven by hand: the server's answer is played chunk by chunk, time moves only on the
 * manual clock (first-byte timeout 1 s, idle timeout 2 s), and what reaches the client and what the attempt reports
 * are checked.
 */
class StreamRelayTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    final ManualClock clock = new ManualClock();
    final RetrySettings settings = new RetrySettings(3, 1_000, 2_000);
    final RecordingSink sink = new RecordingSink();
    final Reports reports = new Reports();
    /** The client's request arrived 40 ms before this attempt was sent. */
    final long clientStartNanos = clock.nanoTime() - 40_000_000;

    StreamRelay relay;
    FakeUpstream.Call server;

    @BeforeEach
    void sendTheAttempt() {
        InferenceRequest request = new InferenceRequestParser(JSON)
                .parse(
                        Endpoint.CHAT,
                        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                                .getBytes(StandardCharsets.UTF_8),
                        0);
        StreamTranslator translator = new OpenAiAdapter(JSON).streamTranslator(request, "req-1");
        relay = new StreamRelay(
                translator, sink, clock, () -> settings, "gpu-1", clientStartNanos, clock.nanoTime(), reports);
        relay.awaitFirstByte();
        UpstreamRequest sent = UpstreamRequest.post(
                URI.create("http://gpu-1:8000/v1/chat/completions"), Map.of(), new byte[0], Duration.ofSeconds(1));
        server = (FakeUpstream.Call) new FakeUpstream().send(sent, relay);
        relay.reading(server);
    }

    /** What the relay reports; notes whether the client's stream was already completed when the attempt settled. */
    final class Reports implements StreamRelay.Progress {
        final List<Outcome> outcomes = new ArrayList<>();
        final List<String> firstFrames = new ArrayList<>();
        boolean completedBeforeSettling;

        @Override
        public void firstFrame(Duration ttft, double latencyMs) {
            firstFrames.add("ttft " + ttft.toMillis() + " ms, latency " + latencyMs + " ms");
        }

        @Override
        public void settled(Outcome outcome) {
            outcomes.add(outcome);
            completedBeforeSettling |= sink.completions > 0;
        }

        Outcome only() {
            assertEquals(1, outcomes.size(), "outcomes: " + outcomes);
            assertFalse(completedBeforeSettling, "the attempt settles before the client's stream is completed");
            return outcomes.getFirst();
        }
    }

    @Test
    void aStreamIsRelayedFrameByFrameAndEndsWithTheServersUsage() {
        server.headers(200);
        clock.advanceMillis(30);
        server.content(TOKEN);
        assertEquals(List.of(TOKEN), sink.frames);
        assertEquals(1, sink.flushes);
        assertEquals(List.of("ttft 70 ms, latency 30.0 ms"), reports.firstFrames);

        clock.advanceMillis(20);
        server.content(USAGE + DONE);
        server.complete();

        assertEquals(List.of(TOKEN, DONE), sink.frames, "the usage chunk the router asked for is not the client's");
        assertEquals(1, sink.completions);
        Outcome.Ended ended = assertInstanceOf(Outcome.Ended.class, reports.only());
        assertFalse(ended.errorEvent());
        assertEquals(50.0, ended.latencyMs());
        assertEquals(70.0, ended.ttftMs());
        assertEquals(3, ended.usage().promptTokens());
        assertEquals(2, ended.usage().completionTokens());
        assertFalse(server.cancelled, "a stream that ended leaves its connection to the pool");
        assertEquals(0, clock.pendingAlarms(), "first-byte and idle alarms are cancelled");
        assertNull(sink.failure);
    }

    @Test
    void aLineSplitAcrossChunksReachesTheClientWhole() {
        server.headers(200);
        server.content(TOKEN.substring(0, 10));
        server.content(TOKEN.substring(10, 30));
        assertEquals(List.of(), sink.frames);
        server.content(TOKEN.substring(30));
        assertEquals(List.of(TOKEN), sink.frames);
    }

    static Stream<Arguments> failuresBeforeTheFirstFrame() {
        return Stream.of(
                Arguments.of(
                        "an error event before any output",
                        (Consumer<FakeUpstream.Call>) s -> {
                            s.headers(200);
                            s.content("data: {\"error\":\"model is loading\"}\n\n");
                        },
                        "error in stream: model is loading",
                        false),
                Arguments.of(
                        "no connection",
                        (Consumer<FakeUpstream.Call>) s -> s.fail(new ConnectException("Connection refused")),
                        "connection refused",
                        true),
                Arguments.of(
                        "the connection closed before any output",
                        (Consumer<FakeUpstream.Call>) s -> {
                            s.headers(200);
                            s.fail(new IOException("the server closed the connection before the response ended"));
                        },
                        "the server closed the connection before the response ended",
                        false),
                Arguments.of(
                        "the stream ended without an event",
                        (Consumer<FakeUpstream.Call>) s -> {
                            s.headers(200);
                            s.content(": keep-alive\n\n");
                            s.complete();
                        },
                        "the server ended the stream without an answer",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresBeforeTheFirstFrame")
    void aFailureBeforeTheFirstFrameLeavesTheClientUntouchedSoTheRequestCanMoveOn(
            String name, Consumer<FakeUpstream.Call> serverDoes, String error, boolean unreachable) {
        serverDoes.accept(server);

        assertEquals(new Outcome.FailedBeforeFirstFrame(error, unreachable), reports.only());
        assertEquals(List.of(), sink.frames);
        assertEquals(0, sink.completions);
        assertNull(sink.failure, "the request, not the relay, decides what the client gets");
        assertTrue(server.cancelled);
        assertEquals(0, clock.pendingAlarms());
    }

    @Test
    void anUnreadableStreamBeforeTheFirstFrameFailsTheAttempt() {
        server.headers(200);
        server.content("data: {\"choices\":[],\"usage\":{ not json\n\n");
        Outcome.FailedBeforeFirstFrame failed = assertInstanceOf(Outcome.FailedBeforeFirstFrame.class, reports.only());
        assertTrue(failed.error().startsWith("unreadable stream: "), failed.error());
        assertEquals(List.of(), sink.frames);
    }

    @Test
    void anErrorStatusIsReportedWithTheStartOfItsBody() {
        server.headers(503);
        server.content("{\"error\":{\"message\":\"busy\"}}");
        server.content("x".repeat(100 * 1024));
        server.complete();

        Outcome.Refused refused = assertInstanceOf(Outcome.Refused.class, reports.only());
        assertEquals(503, refused.status());
        assertEquals(64 * 1024, refused.body().length, "the body kept for the message is capped");
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).startsWith("{\"error\":{\"message\":\"busy\"}}"));
        assertEquals(List.of(), sink.frames);
        assertEquals(0, sink.completions);
    }

    @Test
    void aFailureAfterTheFirstFrameEndsTheClientsStreamWithAnErrorEvent() {
        server.headers(200);
        server.content(TOKEN);
        clock.advanceMillis(5);
        server.fail(new IOException("connection reset"));

        Outcome.Broken broken = assertInstanceOf(Outcome.Broken.class, reports.only());
        assertEquals("connection reset", broken.error());
        assertEquals(5.0, broken.latencyMs());
        assertEquals(40.0, broken.ttftMs());
        assertEquals(1, broken.usage().completionTokens(), "one content chunk relayed");
        assertEquals(2, sink.frames.size());
        assertEquals(
                new String(
                        SseFrames.error(
                                "the inference server gpu-1 failed after the answer had started: " + "connection reset",
                                "upstream_error"),
                        StandardCharsets.UTF_8),
                sink.frames.get(1));
        assertEquals(1, sink.completions);
        assertTrue(server.cancelled);
        assertEquals(0, clock.pendingAlarms());
    }

    @Test
    void aStreamThatStopsBeforeItsEndMarkerIsBroken() {
        server.headers(200);
        server.content(TOKEN);
        server.complete();

        Outcome.Broken broken = assertInstanceOf(Outcome.Broken.class, reports.only());
        assertEquals("the server ended the stream before its end marker", broken.error());
        assertTrue(sink.frames.get(1).contains("the server ended the stream before its end marker"));
        assertEquals(1, sink.completions);
    }

    @Test
    void anErrorEventAfterTheFirstFrameIsPassedOnAndTheStreamEndsAsFailed() {
        server.headers(200);
        server.content(TOKEN);
        server.content("data: {\"error\":\"out of memory\"}\n\n");
        server.complete();

        Outcome.Ended ended = assertInstanceOf(Outcome.Ended.class, reports.only());
        assertTrue(ended.errorEvent());
        assertEquals(2, sink.frames.size());
        assertTrue(
                sink.frames.get(1).contains("the inference server failed mid-stream: out of memory"),
                sink.frames.get(1));
        assertEquals(1, sink.completions);
    }

    @Test
    void noFirstByteWithinTheTimeoutFailsTheAttemptAndCancelsTheServersRequest() {
        server.headers(200);
        clock.advanceMillis(999);
        assertEquals(List.of(), reports.outcomes, "response headers are not a first byte");

        clock.advanceMillis(1);
        assertEquals(
                new Outcome.FailedBeforeFirstFrame("no first byte within 1000 ms (retry.firstByteTimeoutMs)", false),
                reports.only());
        assertTrue(server.cancelled);

        server.content(TOKEN);
        server.complete();
        assertEquals(List.of(), sink.frames, "what the server sends after the timeout is dropped");
        assertEquals(1, reports.outcomes.size());
    }

    @Test
    void aFirstFrameInTimeDisarmsTheFirstByteTimeout() {
        server.headers(200);
        clock.advanceMillis(900);
        server.content(TOKEN);
        clock.advanceMillis(200);
        assertEquals(List.of(), reports.outcomes);
        assertEquals(1, clock.pendingAlarms(), "only the idle watch is left");
    }

    @Test
    void aStreamSilentForLongerThanTheIdleTimeoutIsEndedWithAnErrorEvent() {
        server.headers(200);
        server.content(TOKEN);
        clock.advanceMillis(1_500);
        server.content(TOKEN);
        clock.advanceMillis(2_000);
        assertEquals(
                List.of(),
                reports.outcomes,
                "checked every 500 ms from 2000 ms after the first frame: "
                        + "silent for exactly 2000 ms at the last check, not longer");

        clock.advanceMillis(500);
        Outcome.Broken broken = assertInstanceOf(Outcome.Broken.class, reports.only());
        assertEquals("the server sent nothing for 2000 ms (retry.streamIdleTimeoutMs)", broken.error());
        assertEquals(3, sink.frames.size());
        assertTrue(sink.frames.get(2).contains("the server sent nothing for 2000 ms"));
        assertEquals(1, sink.completions);
        assertTrue(server.cancelled);
        assertEquals(0, clock.pendingAlarms());
    }

    @Test
    void aClientThatGoesAwayStopsTheRelayWithoutAnOutcome() {
        server.headers(200);
        server.content(TOKEN);
        relay.stop();

        assertTrue(server.cancelled);
        assertEquals(0, clock.pendingAlarms());
        server.content(TOKEN + DONE);
        server.complete();
        clock.advanceMillis(10_000);
        assertEquals(List.of(TOKEN), sink.frames);
        assertEquals(0, sink.completions);
        assertEquals(List.of(), reports.outcomes, "the request records the cancellation itself");
    }

    @Test
    void aClientThatGoesAwayBeforeTheFirstByteDisarmsTheFirstByteTimeout() {
        relay.stop();
        clock.advanceMillis(5_000);
        assertTrue(server.cancelled);
        assertEquals(List.of(), reports.outcomes);
        assertTrue(relay.settled());
    }

    @Test
    void aSlowClientPausesTheServerUntilItWantsMore() {
        server.headers(200);
        sink.wantsMore = false;
        server.content(TOKEN);
        assertTrue(server.paused);

        sink.wantsMore = true;
        relay.demand();
        assertFalse(server.paused);
        server.content(TOKEN);
        assertEquals(List.of(TOKEN, TOKEN), sink.frames);
    }
}
