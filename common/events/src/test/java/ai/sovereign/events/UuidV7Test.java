package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void idHasVersion7AndRfc9562VariantBits() {
        UUID id = UuidV7.generate();
        String text = id.toString();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals('7', text.charAt(14), text);
        assertTrue("89ab".indexOf(text.charAt(19)) >= 0, text);
        assertTrue(UuidV7.isUuidV7(id));
    }

    @Test
    void idEmbedsTheClockMillisecondsInItsFirst48Bits() {
        UUID id = new UuidV7(Clock.fixed(T0, ZoneOffset.UTC), new Random(1)).next();
        assertEquals(T0, UuidV7.timestampOf(id));
        assertEquals(
                T0.toEpochMilli(), Long.parseLong(id.toString().replace("-", "").substring(0, 12), 16));
    }

    @Test
    void idsStrictlyIncreaseWithinOneMillisecond() {
        UuidV7 generator = new UuidV7(Clock.fixed(T0, ZoneOffset.UTC), new Random(2));
        UUID previous = generator.next();
        for (int i = 0; i < 100_000; i++) {
            UUID next = generator.next();
            assertTrue(next.compareTo(previous) > 0, previous + " !< " + next);
            assertTrue(next.toString().compareTo(previous.toString()) > 0, previous + " !< " + next + " as strings");
            assertEquals(T0, UuidV7.timestampOf(next));
            previous = next;
        }
    }

    @Test
    void idsKeepIncreasingWhenTheClockStepsBack() {
        ManualClock clock = new ManualClock(T0);
        UuidV7 generator = new UuidV7(clock, new Random(3));
        UUID before = generator.next();
        clock.now = T0.minusSeconds(5);
        UUID after = generator.next();
        assertTrue(after.toString().compareTo(before.toString()) > 0, before + " !< " + after);
        assertEquals(T0, UuidV7.timestampOf(after), "keeps the last timestamp rather than going back");
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() {
        ManualClock clock = new ManualClock(T0);
        UuidV7 generator = new UuidV7(clock, new Random(4));
        List<String> ids = new ArrayList<>();
        for (int ms = 0; ms < 50; ms++) {
            clock.now = T0.plusMillis(ms);
            ids.add(generator.next().toString());
            ids.add(generator.next().toString());
        }
        assertEquals(ids.stream().sorted().toList(), ids);
    }

    @Test
    void idsFromConcurrentThreadsAreUnique() throws InterruptedException, ExecutionException {
        int threads = 4;
        int perThread = 20_000;
        List<Future<List<UUID>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    List<UUID> ids = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        ids.add(UuidV7.generate());
                    }
                    return ids;
                }));
            }
            Set<UUID> all = new HashSet<>();
            for (Future<List<UUID>> future : futures) {
                List<UUID> ids = future.get();
                for (int i = 1; i < ids.size(); i++) {
                    assertTrue(ids.get(i).compareTo(ids.get(i - 1)) > 0, "ids of one thread increase");
                }
                all.addAll(ids);
            }
            assertEquals(threads * perThread, all.size());
        }
    }

    @Test
    void timestampOfRejectsAUuidOfAnotherVersion() {
        UUID v4 = UUID.randomUUID();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UuidV7.timestampOf(v4));
        assertTrue(e.getMessage().contains("not a UUIDv7 (version 4)"), e.getMessage());
    }
}
