package ai.sovereign.router.forward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock that moves only when the test says so, running the alarms that fall due on the way, in time order. */
final class ManualClock implements ForwardClock {

    private long now = 5_000_000_000L;
    private final List<Scheduled> alarms = new ArrayList<>();

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Alarm after(long delayMs, Runnable task) {
        return add(new Scheduled(now + delayMs * 1_000_000, 0, task));
    }

    @Override
    public Alarm every(long firstMs, long periodMs, Runnable task) {
        return add(new Scheduled(now + firstMs * 1_000_000, periodMs * 1_000_000, task));
    }

    private Alarm add(Scheduled alarm) {
        alarms.add(alarm);
        return () -> alarms.remove(alarm);
    }

    /** Moves time forward by {@code step}, running each alarm at its due time. */
    void advance(Duration step) {
        long target = now + step.toNanos();
        while (true) {
            Scheduled next = alarms.stream()
                    .filter(a -> a.due <= target)
                    .min(Comparator.comparingLong(a -> a.due))
                    .orElse(null);
            if (next == null) {
                break;
            }
            now = next.due;
            if (next.period == 0) {
                alarms.remove(next);
            } else {
                next.due = now + next.period;
            }
            next.task.run();
        }
        now = target;
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Alarms set and neither run (one-shot) nor cancelled. */
    int pendingAlarms() {
        return alarms.size();
    }

    private static final class Scheduled {
        long due;
        final long period;
        final Runnable task;

        Scheduled(long due, long period, Runnable task) {
            this.due = due;
            this.period = period;
            this.task = task;
        }
    }
}
