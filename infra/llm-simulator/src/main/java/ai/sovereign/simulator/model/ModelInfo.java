package ai.sovereign.simulator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static facts /api/tags, /api/show and /api/ps report about a model, derived from its name so
 * that any name works without a catalogue: "llama3.1:8b" is an 8B llama in Q4_K_M, a name with
 * "embed" is an embedding model. Sizes are what a Q4_K_M (or F16 for embedders) file would weigh.
 *
 * @param digest sha256 of the name, in the 64-hex form Ollama shows
 */
public record ModelInfo(
        String name,
        String family,
        String parameterSize,
        long parameterCount,
        String quantization,
        long sizeBytes,
        String digest,
        int contextLength,
        int embeddingDimensions,
        boolean embeddingOnly) {

    private static final Pattern PARAMS = Pattern.compile("(?<![a-z0-9.])(\\d+(?:\\.\\d+)?)([bm])(?![a-z])");
    private static final Pattern QUANT = Pattern.compile("(q\\d_k_[sml]|q\\d_k|q\\d_\\d|q\\d|fp16|f16|bf16|fp8)");

    /** Derives the facts for {@code name}; {@code dimensionsOverride} > 0 replaces the name-based length. */
    public static ModelInfo of(String name, int dimensionsOverride) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean embedding = lower.contains("embed") || lower.contains("minilm") || lower.contains("bge");
        long params = parameterCount(lower, embedding);
        Matcher quant = QUANT.matcher(lower);
        String quantization = quant.find() ? quant.group(1).toUpperCase(Locale.ROOT) : embedding ? "F16" : "Q4_K_M";
        double bytesPerParam = quantization.startsWith("F") || quantization.startsWith("BF") ? 2.0 : 0.6;
        int dimensions = dimensionsOverride > 0 ? dimensionsOverride : defaultDimensions(lower);
        return new ModelInfo(
                name,
                family(lower, embedding),
                formatParams(params),
                params,
                quantization,
                (long) (params * bytesPerParam),
                digestOf(name),
                embedding ? 8192 : 131_072,
                dimensions,
                embedding);
    }

    /** Embedding lengths of well-known models; 384 (all-MiniLM's) for anything else. */
    static int defaultDimensions(String lowerName) {
        if (lowerName.contains("nomic-embed")) {
            return 768;
        }
        if (lowerName.contains("mxbai-embed-large")
                || lowerName.contains("bge-m3")
                || lowerName.contains("bge-large")) {
            return 1024;
        }
        if (lowerName.contains("text-embedding-3-large")) {
            return 3072;
        }
        if (lowerName.contains("text-embedding-3-small") || lowerName.contains("ada-002")) {
            return 1536;
        }
        return 384;
    }

    private static long parameterCount(String lowerName, boolean embedding) {
        int colon = lowerName.lastIndexOf(':');
        // Prefer the tag ("llama3.1:8b"), then the base name ("qwen2.5-7b-instruct").
        for (String part :
                colon >= 0 ? new String[] {lowerName.substring(colon + 1), lowerName} : new String[] {lowerName}) {
            Matcher m = PARAMS.matcher(part);
            if (m.find()) {
                double value = Double.parseDouble(m.group(1));
                return (long) (value * (m.group(2).equals("b") ? 1e9 : 1e6));
            }
        }
        return embedding ? 137_000_000L : 7_240_000_000L;
    }

    private static String family(String lowerName, boolean embedding) {
        if (embedding) {
            return lowerName.contains("nomic") ? "nomic-bert" : "bert";
        }
        String base = lowerName.substring(lowerName.lastIndexOf('/') + 1);
        int end = 0;
        while (end < base.length() && Character.isLetter(base.charAt(end))) {
            end++;
        }
        return end == 0 ? "llama" : base.substring(0, end);
    }

    private static String formatParams(long params) {
        return params >= 1_000_000_000L
                ? String.format(Locale.ROOT, "%.1fB", params / 1e9)
                : String.format(Locale.ROOT, "%dM", Math.round(params / 1e6));
    }

    /** SHA-256 of a text as 64 hex digits, the form Ollama uses for digests. */
    public static String digestOf(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
