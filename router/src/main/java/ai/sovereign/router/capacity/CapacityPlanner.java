package ai.sovereign.router.capacity;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The operations guide's capacity formula: tokens per second the fleet must sustain =
 * users × requests per user per second × (input + output tokens) × {@value #BUFFER}, and the servers that takes at
 * a given throughput per server.
 */
public final class CapacityPlanner {

    /** Head-room for bursts and a host in maintenance. */
    public static final double BUFFER = 1.5;

    private CapacityPlanner() {}

    /** What the operator asks: the load, and optionally the throughput of one server. */
    public record Demand(
            long users,
            double requestsPerUserPerMinute,
            long avgInputTokens,
            long avgOutputTokens,
            @Nullable Double tokensPerSecondPerServer) {}

    /** The answer, with where the throughput figure came from ({@code given} or {@code measured}). */
    @Serdeable
    public record Estimate(
            long users,
            double requestsPerUserPerMinute,
            long avgInputTokens,
            long avgOutputTokens,
            double buffer,
            double requiredTokensPerSecond,
            double tokensPerSecondPerServer,
            String tokensPerSecondSource,
            long serversNeeded,
            long serversHealthy,
            long additionalServersNeeded) {}

    /**
     * Applies the formula. {@code measuredPerServer} is used when the demand names no throughput; with neither the
     * answer is a 400 naming {@code tokens_per_second}.
     */
    public static Estimate estimate(Demand demand, @Nullable Double measuredPerServer, long serversHealthy) {
        check(demand.users() >= 1, "users must be ≥ 1 (got " + demand.users() + ")", "users");
        check(
                demand.requestsPerUserPerMinute() > 0,
                "requests_per_user_per_minute must be > 0 (got " + demand.requestsPerUserPerMinute() + ")",
                "requests_per_user_per_minute");
        check(
                demand.avgInputTokens() >= 0,
                "avg_input_tokens must be ≥ 0 (got " + demand.avgInputTokens() + ")",
                "avg_input_tokens");
        check(
                demand.avgOutputTokens() >= 0,
                "avg_output_tokens must be ≥ 0 (got " + demand.avgOutputTokens() + ")",
                "avg_output_tokens");
        check(
                demand.avgInputTokens() + demand.avgOutputTokens() > 0,
                "avg_input_tokens + avg_output_tokens must be > 0",
                "avg_output_tokens");
        String source;
        double perServer;
        if (demand.tokensPerSecondPerServer() != null) {
            check(
                    demand.tokensPerSecondPerServer() > 0,
                    "tokens_per_second must be > 0 (got " + demand.tokensPerSecondPerServer() + ")",
                    "tokens_per_second");
            perServer = demand.tokensPerSecondPerServer();
            source = "given";
        } else {
            check(
                    measuredPerServer != null && measuredPerServer > 0,
                    "tokens_per_second is required: the fleet has "
                            + "no measured throughput yet (no successful request in the metrics window)",
                    "tokens_per_second");
            perServer = measuredPerServer;
            source = "measured";
        }
        double required = demand.users()
                * (demand.requestsPerUserPerMinute() / 60.0)
                * (demand.avgInputTokens() + demand.avgOutputTokens())
                * BUFFER;
        long servers = Math.max(1, (long) Math.ceil(required / perServer - 1e-9));
        return new Estimate(
                demand.users(),
                demand.requestsPerUserPerMinute(),
                demand.avgInputTokens(),
                demand.avgOutputTokens(),
                BUFFER,
                round(required),
                round(perServer),
                source,
                servers,
                serversHealthy,
                Math.max(0, servers - serversHealthy));
    }

    private static void check(boolean condition, String message, String param) {
        if (!condition) {
            throw ApiException.badRequest(message, param);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
