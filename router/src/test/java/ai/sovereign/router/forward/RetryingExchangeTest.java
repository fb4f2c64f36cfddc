package ai.sovereign.router.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.config.RetrySettings;
import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.config.ServerType;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.forward.RetryingExchange.StatusVerdict;
import ai.sovereign.router.forward.ollama.OllamaAdapter;
import ai.sovereign.router.forward.openai.OpenAiAdapter;
import ai.sovereign.router.queue.QueueTimeoutException;
import ai.sovereign.router.queue.QueuedRequest;
import ai.sovereign.router.queue.RouteDecision;
import ai.sovereign.router.queue.RouteRequest;
import ai.sovereign.router.queue.SlotFixtures;
import ai.sovereign.runtime.errors.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The retry state machine, driven by hand: the scheduler and the servers are played by the test, time moves only on
 * the manual clock, and what the client gets and what is recorded against each server are checked.
 */
class RetryingExchangeTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ANSWER = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
    static final String TOKEN = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    final BackendServer gpu1 = server("gpu-1");
    final BackendServer gpu2 = server("gpu-2");
    final BackendServer gpu3 = server("gpu-3");
    final ScriptedSlots slots = new ScriptedSlots(List.of(gpu1, gpu2, gpu3));
    final FakeUpstream upstream = new FakeUpstream();
    final RecordingRecorder recorder = new RecordingRecorder();
    final ManualClock clock = new ManualClock();
    RetrySettings settings = new RetrySettings(3, 1_000, 2_000);
    final Forwarding forwarding = new Forwarding(
            slots,
            new BackendAdapters(new OpenAiAdapter(JSON), new OllamaAdapter(JSON)),
            upstream,
            recorder,
            () -> settings,
            clock);
    final ClientContext client = new ClientContext("req-1", "key-1", "acme", Instant.EPOCH, clock.nanoTime());
    final RecordingSink sink = new RecordingSink();

    static BackendServer server(String id) {
        return new BackendServer(new ServerSpec(id, "http://" + id + ":8000", ServerType.OPENAI, 2));
    }

    static InferenceRequest request(boolean stream) {
        return new InferenceRequestParser(JSON)
                .parse(
                        Endpoint.CHAT,
                        ("{\"model\":\"m\",\"stream\":" + stream
                                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        0);
    }

    WholeExchange whole() {
        WholeExchange exchange = new WholeExchange(forwarding, request(false), client);
        exchange.next();
        return exchange;
    }

    StreamExchange stream() {
        StreamExchange exchange = new StreamExchange(forwarding, request(true), client, sink);
        exchange.next();
        return exchange;
    }

    static ApiException refusal(WholeExchange exchange) {
        assertTrue(exchange.result.isCompletedExceptionally(), "the request was refused");
        CompletionException error = assertThrows(CompletionException.class, exchange.result::join);
        return assertInstanceOf(ApiException.class, error.getCause());
    }

    static String body(WholeExchange exchange) {
        return new String(exchange.result.join(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "500, RETRY_ELSEWHERE",
        "502, RETRY_ELSEWHERE",
        "503, RETRY_ELSEWHERE",
        "504, RETRY_ELSEWHERE",
        "429, RETRY_ELSEWHERE",
        "408, RETRY_ELSEWHERE",
        "404, MODEL_GONE",
        "400, CLIENT_ERROR",
        "401, CLIENT_ERROR",
        "403, CLIENT_ERROR",
        "409, CLIENT_ERROR",
        "413, CLIENT_ERROR",
        "422, CLIENT_ERROR",
        // statuses Micronaut's HttpStatus has no constant for
        "419, CLIENT_ERROR",
        "499, CLIENT_ERROR",
        "599, RETRY_ELSEWHERE",
        "520, RETRY_ELSEWHERE",
        // not an answer: the router follows no redirect
        "302, RETRY_ELSEWHERE",
        "399, RETRY_ELSEWHERE",
        "100, RETRY_ELSEWHERE"
    })
    void anErrorStatusFromTheServerMeans(int status, StatusVerdict verdict) {
        assertEquals(verdict, StatusVerdict.of(status));
    }

    @Test
    void aServerErrorIsRetriedOnAnotherServerAndCountsAgainstTheFirst() {
        WholeExchange exchange = whole();
        assertEquals("gpu-1", upstream.last().server());
        upstream.last().answer(503, "{\"error\":{\"message\":\"busy\"}}");

        assertEquals("gpu-2", upstream.last().server());
        assertEquals(Set.of("gpu-1"), slots.routed.get(1).tried(), "the server it failed on is avoided");
        assertEquals(0, gpu1.inFlight(), "the failed attempt's slot is given back");
        clock.advanceMillis(120);
        upstream.last().answer(200, ANSWER);

        assertEquals(ANSWER, body(exchange));
        assertEquals(
                List.of(
                        "failed gpu-1: HTTP 503: busy",
                        "retried",
                        "answered gpu-2",
                        "succeeded gpu-2",
                        "finished gpu-2 SUCCESS 200"),
                recorder.events);
        assertEquals(List.of(120.0), recorder.latenciesMs, "latency by the forwarder's clock");
        assertEquals(0, gpu2.inFlight());
    }

    static Stream<Arguments> retryableFailures() {
        return Stream.of(
                Arguments.of(
                        (Consumer<FakeUpstream.Call>) s -> s.answer(500, "{\"error\":\"boom\"}"),
                        "HTTP 500: boom",
                        false),
                Arguments.of(
                        (Consumer<FakeUpstream.Call>) s -> s.answer(429, "{\"error\":\"slow down\"}"),
                        "HTTP 429: slow down",
                        false),
                Arguments.of((Consumer<FakeUpstream.Call>) s -> s.answer(408, ""), "HTTP 408: no error message", false),
                Arguments.of(
                        (Consumer<FakeUpstream.Call>) s -> s.fail(new ConnectException("Connection refused")),
                        "connection refused",
                        true),
                Arguments.of(
                        (Consumer<FakeUpstream.Call>) s -> s.fail(new HttpTimeoutException("no response")),
                        "timed out (retry.firstByteTimeoutMs)",
                        false),
                Arguments.of(
                        (Consumer<FakeUpstream.Call>) s -> s.fail(new IOException("connection reset")),
                        "connection reset",
                        false),
                Arguments.of(
                        (Consumer<FakeUpstream.Call>) s -> s.answer(200, "[1,2]"),
                        "unreadable answer: the server's answer is not a JSON object",
                        false));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("retryableFailures")
    void aFailedAttemptIsRetriedElsewhere(Consumer<FakeUpstream.Call> firstServer, String error, boolean unreachable) {
        WholeExchange exchange = whole();
        firstServer.accept(upstream.last());

        assertEquals(List.of("failed gpu-1: " + error, "retried"), recorder.events);
        assertEquals(
                unreachable ? "connection refused" : null,
                gpu1.lastError(),
                "only a server that cannot be reached is marked unreachable");
        upstream.last().answer(200, ANSWER);
        assertEquals(ANSWER, body(exchange));
        assertEquals(
                List.of("gpu-1", "gpu-2"),
                upstream.calls.stream().map(FakeUpstream.Call::server).toList());
    }

    @Test
    void afterMaxAttemptsTheClientGets502NamingTheLastError() {
        WholeExchange exchange = whole();
        upstream.last().answer(500, "{\"error\":\"boom\"}");
        upstream.last().answer(502, "{\"error\":\"bad gateway\"}");
        upstream.last().answer(500, "{\"error\":\"boom again\"}");

        ApiException error = refusal(exchange);
        assertEquals(502, error.status().getCode());
        assertEquals("upstream_error", error.code());
        assertEquals(
                "model 'm' failed on 3 server(s) (retry.maxAttempts 3); last error: gpu-3: HTTP 500: boom again",
                error.getMessage());
        assertEquals(Set.of("gpu-1", "gpu-2"), slots.routed.get(2).tried());
        assertEquals(3, upstream.calls.size());
        assertEquals(
                List.of(
                        "failed gpu-1: HTTP 500: boom",
                        "retried",
                        "failed gpu-2: HTTP 502: bad gateway",
                        "retried",
                        "failed gpu-3: HTTP 500: boom again",
                        "finished - ERROR 502 upstream_error"),
                recorder.events);
    }

    @Test
    void withOneAttemptNothingIsRetried() {
        settings = new RetrySettings(1, 1_000, 2_000);
        WholeExchange exchange = whole();
        upstream.last().fail(new ConnectException("Connection refused"));

        assertEquals(
                "model 'm' failed on 1 server(s) (retry.maxAttempts 1); last error: gpu-1: connection refused",
                refusal(exchange).getMessage());
        assertEquals(1, upstream.calls.size());
    }

    @Test
    void aClientErrorIsPassedOnAndDoesNotCountAgainstTheServer() {
        WholeExchange exchange = whole();
        upstream.last().answer(400, "{\"error\":{\"message\":\"tools are not supported\"}}");

        ApiException error = refusal(exchange);
        assertEquals(400, error.status().getCode());
        assertEquals("upstream_rejected", error.code());
        assertEquals("tools are not supported", error.getMessage());
        assertEquals(List.of("succeeded gpu-1", "finished - ERROR 400 upstream_rejected"), recorder.events);
        assertEquals(1, upstream.calls.size());
        assertEquals(0, gpu1.inFlight());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"499", "419", "460"})
    void aClientErrorStatusMicronautDoesNotKnowReachesTheClientAs400NamingIt(int status) {
        WholeExchange exchange = whole();
        upstream.last().answer(status, "{\"error\":{\"message\":\"client closed request\"}}");

        ApiException error = refusal(exchange);
        assertEquals(400, error.status().getCode());
        assertEquals("upstream_rejected", error.code());
        assertEquals("the inference server answered HTTP " + status + ": client closed request", error.getMessage());
        assertEquals(
                List.of("succeeded gpu-1", "finished - ERROR 400 upstream_rejected"),
                recorder.events,
                "the request is recorded, and the server is not blamed");
        assertEquals(1, upstream.calls.size());
        assertEquals(0, gpu1.inFlight());
    }

    @Test
    void aClientErrorStatusMicronautKnowsOnlyByNumberIsPassedOnAsItIs() {
        WholeExchange exchange = whole();
        upstream.last().answer(420, "{\"error\":\"enhance your calm\"}");

        ApiException error = refusal(exchange);
        assertEquals(420, error.status().getCode());
        assertEquals("enhance your calm", error.getMessage());
    }

    @Test
    void aServerErrorStatusMicronautDoesNotKnowIsRetriedElsewhere() {
        WholeExchange exchange = whole();
        upstream.last().answer(599, "{\"error\":\"network connect timeout\"}");
        upstream.last().answer(200, ANSWER);

        assertEquals(ANSWER, body(exchange));
        assertEquals(
                List.of(
                        "failed gpu-1: HTTP 599: network connect timeout",
                        "retried",
                        "answered gpu-2",
                        "succeeded gpu-2",
                        "finished gpu-2 SUCCESS 200"),
                recorder.events);
    }

    @Test
    void aRedirectCountsAgainstTheServerAndIsRetriedElsewhere() {
        WholeExchange exchange = whole();
        upstream.last().answer(302, "");
        upstream.last().answer(200, ANSWER);

        assertEquals(ANSWER, body(exchange));
        assertEquals(
                List.of(
                        "failed gpu-1: HTTP 302: no error message",
                        "retried",
                        "answered gpu-2",
                        "succeeded gpu-2",
                        "finished gpu-2 SUCCESS 200"),
                recorder.events);
    }

    @Test
    void aServerThatNoLongerHasTheModelIsLeftWithoutBlame() {
        WholeExchange exchange = whole();
        upstream.last().answer(404, "{\"error\":\"model 'm' not found\"}");
        upstream.last().answer(200, ANSWER);

        assertEquals(ANSWER, body(exchange));
        assertEquals(
                List.of(
                        "abandoned gpu-1",
                        "retried",
                        "answered gpu-2",
                        "succeeded gpu-2",
                        "finished gpu-2 SUCCESS 200"),
                recorder.events);
    }

    @ParameterizedTest
    @EnumSource(RouteDecision.Reason.class)
    void aRefusedAttemptEndsTheRequestWith503(RouteDecision.Reason reason) {
        slots.onAttempt(1, new RouteDecision.Reject(reason, "nothing free", 7));
        WholeExchange exchange = whole();

        RoutingRefusedException error = assertInstanceOf(RoutingRefusedException.class, refusal(exchange));
        assertEquals(503, error.status().getCode());
        assertEquals(reason == RouteDecision.Reason.QUEUE_FULL ? "queue_full" : "no_server_available", error.code());
        assertEquals("nothing free", error.getMessage());
        assertEquals(7, error.retryAfterSeconds());
        assertEquals(List.of("finished - REJECTED 503 " + error.code()), recorder.events);
        assertEquals(List.of(), upstream.calls);
    }

    @Test
    void aRefusalAfterAFailedAttemptNamesTheEarlierError() {
        slots.onAttempt(
                2, new RouteDecision.Reject(RouteDecision.Reason.NO_SERVER, "no server can serve model 'm' now", 5));
        WholeExchange exchange = whole();
        upstream.last().answer(503, "{\"error\":\"busy\"}");

        assertEquals(
                "no server can serve model 'm' now; earlier attempt: gpu-1: HTTP 503: busy",
                refusal(exchange).getMessage());
        assertEquals(
                List.of("failed gpu-1: HTTP 503: busy", "retried", "finished - REJECTED 503 no_server_available"),
                recorder.events);
    }

    @Test
    void aSchedulerFailureEndsTheRequestWith502() {
        Forwarding broken = new Forwarding(
                new Forwarding.Slots() {
                    @Override
                    public RouteDecision route(RouteRequest request) {
                        throw new IllegalStateException("the fleet is being reloaded");
                    }

                    @Override
                    public void cancel(QueuedRequest ticket) {}
                },
                forwarding.adapters(),
                upstream,
                recorder,
                () -> settings,
                clock);
        WholeExchange exchange = new WholeExchange(broken, request(false), client);
        exchange.next();

        ApiException error = refusal(exchange);
        assertEquals(502, error.status().getCode());
        assertEquals("forwarding failed: the fleet is being reloaded", error.getMessage());
        assertEquals(List.of("finished - ERROR 502 upstream_error"), recorder.events);
    }

    QueuedRequest queueFirstAttempt() {
        QueuedRequest ticket = SlotFixtures.ticket(new RouteRequest("req-1", "m", 0, Set.of()));
        slots.onAttempt(1, new RouteDecision.Queue(ticket));
        return ticket;
    }

    @Test
    void aQueuedRequestIsSentWhenItsSlotIsGranted() {
        QueuedRequest ticket = queueFirstAttempt();
        WholeExchange exchange = whole();
        assertEquals(List.of(), upstream.calls, "waiting");

        ticket.slot().complete(SlotFixtures.lease(gpu2, "m", lease -> {}));
        assertEquals("gpu-2", upstream.last().server());
        upstream.last().answer(200, ANSWER);
        assertEquals(ANSWER, body(exchange));
    }

    @Test
    void aRequestThatWaitedTooLongInTheQueueGets504() {
        QueuedRequest ticket = queueFirstAttempt();
        WholeExchange exchange = whole();
        ticket.slot().completeExceptionally(new QueueTimeoutException("waited 30000 ms (queue.timeoutMs) for a slot"));

        RoutingRefusedException error = assertInstanceOf(RoutingRefusedException.class, refusal(exchange));
        assertEquals(504, error.status().getCode());
        assertEquals("queue_timeout", error.code());
        assertEquals("waited 30000 ms (queue.timeoutMs) for a slot", error.getMessage());
        assertEquals(List.of("finished - REJECTED 504 queue_timeout"), recorder.events);
    }

    @Test
    void aClientThatGoesAwayWhileQueuedLeavesTheQueue() {
        QueuedRequest ticket = queueFirstAttempt();
        WholeExchange exchange = whole();
        exchange.cancel();

        assertEquals(List.of(ticket), slots.cancelled);
        assertEquals(List.of("finished - CANCELLED 499 client_closed_request"), recorder.events);
        assertFalse(exchange.result.isDone(), "nobody is left to answer");
    }

    @Test
    void aClientThatGoesAwayMidAttemptCancelsTheServersRequestAndFreesTheSlot() {
        WholeExchange exchange = whole();
        exchange.cancel();

        assertTrue(upstream.last().cancelled);
        assertEquals(0, gpu1.inFlight());
        assertEquals(List.of("abandoned gpu-1", "finished gpu-1 CANCELLED 499 client_closed_request"), recorder.events);

        upstream.last().answer(500, "{\"error\":\"late\"}");
        assertEquals(2, recorder.events.size(), "a late answer changes nothing");
        assertEquals(1, upstream.calls.size());
    }

    @Test
    void aStreamIsRetriedBeforeItsFirstFrameButNotAfter() {
        stream();
        upstream.last().fail(new ConnectException("Connection refused"));
        FakeUpstream.Call second = upstream.last();
        assertEquals("gpu-2", second.server());

        second.headers(200);
        second.content(TOKEN);
        second.fail(new IOException("connection reset"));

        assertEquals(2, upstream.calls.size(), "no retry once the client has a frame");
        assertEquals(2, sink.frames.size());
        assertTrue(
                sink.frames
                        .get(1)
                        .contains("the inference server gpu-2 failed after the answer had started: "
                                + "connection reset"),
                sink.frames.get(1));
        assertEquals(1, sink.completions);
        assertNull(sink.failure);
        assertEquals(
                List.of(
                        "failed gpu-1: connection refused",
                        "retried",
                        "first token",
                        "answered gpu-2",
                        "failed gpu-2: connection reset",
                        "finished gpu-2 ERROR 200 upstream_error"),
                recorder.events);
        assertEquals(0, gpu2.inFlight());
    }

    @Test
    void aStreamWithNoFirstByteInTimeMovesToAnotherServer() {
        stream();
        FakeUpstream.Call first = upstream.last();
        first.headers(200);
        clock.advanceMillis(1_000);

        assertTrue(first.cancelled);
        assertEquals(
                List.of("failed gpu-1: no first byte within 1000 ms (retry.firstByteTimeoutMs)", "retried"),
                recorder.events);
        FakeUpstream.Call second = upstream.last();
        assertEquals("gpu-2", second.server());
        clock.advanceMillis(250);
        second.headers(200);
        second.content(TOKEN + DONE);
        second.complete();

        assertEquals(List.of(TOKEN, DONE), sink.frames);
        assertEquals(1, sink.completions);
        assertEquals(
                List.of(Duration.ofMillis(1_250)),
                recorder.ttfts,
                "time to first token counts from the client's request");
        assertEquals(List.of(250.0), recorder.latenciesMs, "the server's latency counts from its own attempt");
        assertEquals(
                List.of(
                        "failed gpu-1: no first byte within 1000 ms (retry.firstByteTimeoutMs)",
                        "retried",
                        "first token",
                        "answered gpu-2",
                        "succeeded gpu-2",
                        "finished gpu-2 SUCCESS 200"),
                recorder.events);
        first.content(TOKEN);
        assertEquals(2, sink.frames.size(), "the abandoned server's late bytes go nowhere");
    }

    @Test
    void aStreamRefusedWithAClientErrorFailsWithTheServersStatus() {
        stream();
        upstream.last().answer(400, "{\"error\":{\"message\":\"bad request\"}}");

        assertEquals(400, sink.failure.status().getCode());
        assertEquals("bad request", sink.failure.getMessage());
        assertEquals(List.of(), sink.frames);
        assertEquals(0, sink.completions, "a refused stream fails instead");
        assertEquals(List.of("succeeded gpu-1", "finished - ERROR 400 upstream_rejected"), recorder.events);
    }

    @Test
    void aStreamRefusedWithAStatusMicronautDoesNotKnowFailsWith400NamingIt() {
        stream();
        upstream.last().answer(499, "{\"error\":{\"message\":\"client closed request\"}}");

        assertEquals(400, sink.failure.status().getCode());
        assertEquals("the inference server answered HTTP 499: client closed request", sink.failure.getMessage());
        assertEquals(List.of(), sink.frames);
        assertEquals(List.of("succeeded gpu-1", "finished - ERROR 400 upstream_rejected"), recorder.events);
        assertEquals(0, gpu1.inFlight());
    }

    @Test
    void aStreamWhoseClientGoesAwayFreesTheSlotAndIsNotRetried() {
        StreamExchange exchange = stream();
        exchange.cancel();
        clock.advanceMillis(5_000);

        assertTrue(upstream.last().cancelled);
        assertEquals(1, upstream.calls.size());
        assertEquals(0, gpu1.inFlight());
        assertEquals(List.of("abandoned gpu-1", "finished gpu-1 CANCELLED 499 client_closed_request"), recorder.events);
    }
}
