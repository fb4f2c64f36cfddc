package ai.sovereign.router.config;

/**
 * The bounded queue requests wait in when every candidate server is at its concurrency limit.
 *
 * @param maxSize   requests that may wait; one more is refused with 503 and Retry-After
 * @param timeoutMs how long a request may wait before it is answered 504
 */
public record QueueSettings(int maxSize, long timeoutMs) {

    public static QueueSettings defaults() {
        return new QueueSettings(1000, 30_000);
    }
}
