package ai.sovereign.simulator.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated server's prefix (KV) cache and prefill behave. Off by default: no cache and no prefill cost, so
 * the time to first token is exactly the model behaviour's.
 *
 * @param blockTokens       tokens per KV block (vLLM's default block size is 16); only full blocks are cached
 * @param capacityBlocks    blocks the cache holds, least recently used evicted first; 0 turns the cache off
 * @param prefillPerToken   GPU time to prefill one uncached prompt token; prefills of one server run one after
 *                          another (a GPU's prefill is compute-bound, concurrent prefills share its throughput)
 */
public record PrefixCacheSettings(int blockTokens, int capacityBlocks, Duration prefillPerToken) {

    public PrefixCacheSettings {
        if (blockTokens < 1) {
            throw new IllegalArgumentException("blockTokens must be ≥ 1 (got " + blockTokens + ")");
        }
        if (capacityBlocks < 0) {
            throw new IllegalArgumentException(
                    "capacityBlocks must be ≥ 0, 0 meaning no cache (got " + capacityBlocks + ")");
        }
        Objects.requireNonNull(prefillPerToken, "prefillPerToken");
        if (prefillPerToken.isNegative()) {
            throw new IllegalArgumentException("prefillPerToken must not be negative (got " + prefillPerToken + ")");
        }
    }

    /** No cache, no prefill cost: the simulator's behaviour before the cache existed. */
    public static PrefixCacheSettings disabled() {
        return new PrefixCacheSettings(16, 0, Duration.ZERO);
    }

    /**
     * An 8B model in fp16 on one 24 GB GPU (A10G/L4 class): 16-token blocks; about 6 GB left for KV after the
     * weights at 128 KiB per token (32 layers × 8 KV heads × 128 dims × K and V × 2 bytes) ≈ 46k tokens ≈ 2,900
     * blocks; prefill ≈ 5,000 tokens/s (125 dense fp16 TFLOPS, 16 GFLOP per token, ~60 % utilisation) = 200 µs per
     * token.
     */
    public static PrefixCacheSettings a10g8b() {
        return new PrefixCacheSettings(16, 2_900, Duration.ofNanos(200_000));
    }

    public boolean enabled() {
        return capacityBlocks > 0;
    }

    public boolean costsPrefill() {
        return prefillPerToken.isPositive();
    }

    public PrefixCacheSettings withBlockTokens(int value) {
        return new PrefixCacheSettings(value, capacityBlocks, prefillPerToken);
    }

    public PrefixCacheSettings withCapacityBlocks(int value) {
        return new PrefixCacheSettings(blockTokens, value, prefillPerToken);
    }

    public PrefixCacheSettings withPrefillPerToken(Duration value) {
        return new PrefixCacheSettings(blockTokens, capacityBlocks, value);
    }
}
