package ai.sovereign.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * UUID version 7 generator (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, variant {@code 10}, then
 * 74 bits that are a 42-bit counter followed by 32 random bits.
 *
 * <p>Ids from one generator strictly increase, as UUIDs and as strings (RFC 9562 §6.2, method 1): within a
 * millisecond the counter increments from a random start whose top bit is clear, so at least 2<sup>41</sup> ids fit
 * in each millisecond; if the counter ever overflows, or the clock steps back, the generator keeps using (and then
 * advances) the last timestamp rather than going backwards.
 */
public final class UuidV7 {

    private static final UuidV7 SYSTEM = new UuidV7(Clock.systemUTC(), new SecureRandom());

    private static final int COUNTER_BITS = 42;
    private static final long COUNTER_LIMIT = 1L << COUNTER_BITS;
    private static final long COUNTER_SEED_MASK = (1L << (COUNTER_BITS - 1)) - 1;
    private static final long MAX_MILLIS = (1L << 48) - 1;

    private final Clock clock;
    private final RandomGenerator random;
    private long lastMillis = -1;
    private long counter;

    /** A generator on its own clock and randomness, for tests; production code uses {@link #generate()}. */
    public UuidV7(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** A fresh id from the process-wide generator (system UTC clock, {@link SecureRandom}). */
    public static UUID generate() {
        return SYSTEM.next();
    }

    /** The next id of this generator; greater than every id it returned before. */
    public synchronized UUID next() {
        long now = clock.millis();
        if (now < 0 || now > MAX_MILLIS) {
            throw new IllegalStateException("clock reads " + now + " ms, outside the 48-bit UUIDv7 timestamp range");
        }
        if (now > lastMillis) {
            lastMillis = now;
            counter = random.nextLong() & COUNTER_SEED_MASK;
        } else if (++counter == COUNTER_LIMIT) {
            lastMillis++;
            counter = random.nextLong() & COUNTER_SEED_MASK;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | (counter >>> 30);
        long lsb = (0b10L << 62) | ((counter & 0x3FFF_FFFFL) << 32) | (random.nextInt() & 0xFFFF_FFFFL);
        return new UUID(msb, lsb);
    }

    /** Whether {@code uuid} has version 7 and the RFC 9562 variant. */
    public static boolean isUuidV7(UUID uuid) {
        return uuid.version() == 7 && uuid.variant() == 2;
    }

    /** The millisecond timestamp embedded in a UUIDv7. */
    public static Instant timestampOf(UUID uuid) {
        if (!isUuidV7(uuid)) {
            throw new IllegalArgumentException(uuid + " is not a UUIDv7 (version " + uuid.version() + ")");
        }
        return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
    }
}
