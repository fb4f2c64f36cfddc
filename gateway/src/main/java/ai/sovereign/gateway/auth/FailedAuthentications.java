package ai.sovereign.gateway.auth;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed authentications per client address in fixed one-minute windows ({@code gateway.auth.max-failures-per-minute},
 * default 20). Past the limit, the address's requests with a key this gateway does not have in its cache are refused
 * with 429 until the window ends: no key lookup in PostgreSQL, and one audit event per window instead of one per
 * request. Keys already in the cache still work from that address (a neighbour behind the same NAT keeps working).
 */
@Singleton
public class FailedAuthentications {

    static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_ADDRESSES = 100_000;

    private final int limit;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public FailedAuthentications(@Value("${gateway.auth.max-failures-per-minute:20}") int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException(
                    "gateway.auth.max-failures-per-minute must be at least 1 (got " + limit + ")");
        }
        this.limit = limit;
    }

    /** One address's failures in the window that started at {@code start}. */
    private record Window(long start, AtomicInteger failures, AtomicInteger refused) {

        boolean over(long now) {
            return now - start >= WINDOW_NANOS;
        }
    }

    private Window current(String address, long now) {
        Window window = windows.get(address);
        if (window == null || window.over(now)) {
            if (windows.size() >= MAX_ADDRESSES) {
                windows.values().removeIf(w -> w.over(now));
            }
            Window fresh = new Window(now, new AtomicInteger(), new AtomicInteger());
            windows.put(address, fresh);
            return fresh;
        }
        return window;
    }

    /** Whether {@code address} has used up its failures in this window. */
    public boolean blocked(String address) {
        Window window = windows.get(address);
        return window != null
                && !window.over(System.nanoTime())
                && window.failures().get() >= limit;
    }

    /**
     * Counts a refusal of a blocked address; true for the first one of the window (the one to audit).
     */
    public boolean refusedWhileBlocked(String address) {
        return current(address, System.nanoTime()).refused().incrementAndGet() == 1;
    }

    /** Counts a failed authentication; true while it is within the limit (each of those is audited). */
    public boolean failed(String address) {
        return current(address, System.nanoTime()).failures().incrementAndGet() <= limit;
    }

    /** Seconds until {@code address}'s window ends (at least 1). */
    public long retryAfterSeconds(String address) {
        Window window = windows.get(address);
        if (window == null) {
            return 1;
        }
        long left = WINDOW_NANOS - (System.nanoTime() - window.start());
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    public int limit() {
        return limit;
    }
}
