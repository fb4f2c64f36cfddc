package ai.sovereign.router.queue;

/** A request waited {@code queue.timeoutMs} without getting a slot. */
public final class QueueTimeoutException extends RuntimeException {

    public QueueTimeoutException(String message) {
        super(message, null, false, false);
    }
}
