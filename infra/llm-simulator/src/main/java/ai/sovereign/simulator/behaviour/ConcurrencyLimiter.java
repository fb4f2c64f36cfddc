package ai.sovereign.simulator.behaviour;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Per-model slots that enforce {@link ModelBehaviour#maxConcurrency()}: extra requests wait in
 * FIFO order, like a GPU server's scheduler queue. It also owns the running/waiting counts that
 * /metrics exposes as vLLM's gauges. Callers on any event loop use it; it is a plain monitor
 * because every operation is a few field updates.
 */
public final class ConcurrencyLimiter {

    /** A request waiting for a slot; {@link #granted()} must not block (it is called under no lock). */
    public interface Ticket {
        void granted();
    }

    private final IntSupplier maxConcurrency;
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private int running;

    /** @param maxConcurrency read on every decision, so a behaviour change applies at once */
    public ConcurrencyLimiter(IntSupplier maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    /** Grants a slot now (calling {@code ticket.granted()}) or queues the ticket. */
    public void acquire(Ticket ticket) {
        boolean now;
        synchronized (this) {
            now = waiting.isEmpty() && hasRoom();
            if (now) {
                running++;
            } else {
                waiting.addLast(ticket);
            }
        }
        if (now) {
            ticket.granted();
        }
    }

    /** Returns a slot and hands it to the next waiting ticket, if any. */
    public void release() {
        synchronized (this) {
            running--;
        }
        admitWaiting();
    }

    /** Removes a waiting ticket; false when it was already granted (and must then be released). */
    public synchronized boolean cancel(Ticket ticket) {
        return waiting.remove(ticket);
    }

    /** Admits as many waiting tickets as there is now room for, e.g. after the limit was raised. */
    public void admitWaiting() {
        List<Ticket> admitted = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && hasRoom()) {
                admitted.add(waiting.removeFirst());
                running++;
            }
        }
        admitted.forEach(Ticket::granted);
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    private boolean hasRoom() {
        int max = maxConcurrency.getAsInt();
        return max <= 0 || running < max;
    }
}
