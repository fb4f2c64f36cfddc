package ai.sovereign.router.forward;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time as forwarding sees it: a monotonic clock for latencies and silences, and the alarms of its timeouts (first
 * byte, stream idle). The router's runs on its timer thread; tests drive a manual one instead of sleeping.
 */
interface ForwardClock {

    /** Monotonic nanoseconds on {@link System#nanoTime()}'s scale, which {@link ClientContext#startNanos()} uses. */
    long nanoTime();

    /** Runs {@code task} once, {@code delayMs} from now. */
    Alarm after(long delayMs, Runnable task);

    /** Runs {@code task} {@code firstMs} from now, then again {@code periodMs} after each run. */
    Alarm every(long firstMs, long periodMs, Runnable task);

    /** A scheduled task. */
    interface Alarm {

        /** It will not run (again); a run in progress finishes. */
        void cancel();
    }

    /** System time, alarms on {@code timer}. */
    static ForwardClock on(ScheduledExecutorService timer) {
        return new ForwardClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Alarm after(long delayMs, Runnable task) {
                ScheduledFuture<?> future = timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public Alarm every(long firstMs, long periodMs, Runnable task) {
                ScheduledFuture<?> future =
                        timer.scheduleWithFixedDelay(task, firstMs, periodMs, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }
        };
    }
}
