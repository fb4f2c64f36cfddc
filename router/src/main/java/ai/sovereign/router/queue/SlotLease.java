package ai.sovereign.router.queue;

import ai.sovereign.router.fleet.BackendServer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One slot on one server, held by one request attempt. Releasing it more than once is harmless: only the first
 * release gives the slot back (and lets a waiting request have it).
 */
public final class SlotLease {

    private final BackendServer server;
    private final String model;
    private final boolean probe;
    private final long acquiredNanos = System.nanoTime();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Consumer<SlotLease> onRelease;

    SlotLease(BackendServer server, String model, boolean probe, Consumer<SlotLease> onRelease) {
        this.server = server;
        this.model = model;
        this.probe = probe;
        this.onRelease = onRelease;
    }

    public BackendServer server() {
        return server;
    }

    public String model() {
        return model;
    }

    /** Whether this attempt is a half-open breaker's probe. */
    public boolean probe() {
        return probe;
    }

    public long heldNanos() {
        return System.nanoTime() - acquiredNanos;
    }

    public void release() {
        if (released.compareAndSet(false, true)) {
            server.release();
            onRelease.accept(this);
        }
    }
}
