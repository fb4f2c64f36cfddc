package ai.sovereign.router.config;

/**
 * Recovery tests of open breakers and the bans that repeated failures earn.
 *
 * @param intervalMs       time between recovery tests of one open breaker
 * @param timeoutMs        a recovery test that takes longer fails
 * @param banAfterFailures consecutive failed recovery tests that ban the (server, model)
 * @param banDurationMs    how long such a ban lasts
 * @param historySize      failures kept per server for history and analysis
 */
public record RecoverySettings(
        long intervalMs, long timeoutMs, int banAfterFailures, long banDurationMs, int historySize) {

    public static RecoverySettings defaults() {
        return new RecoverySettings(15_000, 10_000, 5, 600_000, 200);
    }
}
