package ai.sovereign.gpuagent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pull progress goes out on every status change and at most once per interval for byte counts. */
class ProgressThrottleTest {

    @Test
    void statusChangesPassAndBytesAreThrottledPerInterval() {
        MutableClock clock = new MutableClock();
        CommandRunner.ProgressThrottle throttle = new CommandRunner.ProgressThrottle(Duration.ofSeconds(1), clock);
        List<String> reported = new ArrayList<>();
        Object[][] steps = {
            {0, "pulling manifest"},
            {10, "pulling aaa"},
            {20, "pulling aaa"},
            {30, "pulling bbb"},
            {1100, "pulling bbb"},
            {1200, "pulling bbb"},
            {1300, "verifying sha256 digest"},
            {1310, "writing manifest"},
            {1320, "success"}
        };
        for (Object[] step : steps) {
            clock.millis = (int) step[0];
            String status = (String) step[1];
            boolean sized = !status.equals("pulling manifest");
            if (throttle.shouldReport(new PullProgress(status, sized ? 1L : null, sized ? 2L : null))) {
                reported.add(clock.millis + " " + status);
            }
        }
        assertEquals(
                List.of(
                        "0 pulling manifest",
                        "10 pulling aaa",
                        "1100 pulling bbb",
                        "1300 verifying sha256 digest",
                        "1310 writing manifest",
                        "1320 success"),
                reported);
    }

    static Stream<Arguments> keepAlives() {
        return Stream.of(
                Arguments.of("10m", "10m"),
                Arguments.of("300", 300L),
                Arguments.of("-1", -1L),
                Arguments.of("1h30m", "1h30m"),
                Arguments.of("0", 0L));
    }

    @ParameterizedTest(name = "keep_alive {0}")
    @MethodSource("keepAlives")
    void keepAliveIsSentAsSecondsWhenNumericElseAsADuration(String given, Object sent) {
        assertEquals(sent, OllamaModels.keepAliveValue(given));
    }

    @Test
    void ratioIsAbsentUntilSizesAreKnown() {
        assertEquals(null, new PullProgress("pulling manifest", null, null).ratio());
        assertEquals(0.25, new PullProgress("pulling x", 25L, 100L).ratio());
    }

    private static final class MutableClock extends Clock {
        long millis;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
