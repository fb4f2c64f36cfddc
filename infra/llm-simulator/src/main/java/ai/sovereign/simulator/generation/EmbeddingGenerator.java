package ai.sovereign.simulator.generation;

import java.util.SplittableRandom;

/**
 * Deterministic embeddings: a unit vector seeded by a hash of (model, text). Equal texts get equal
 * vectors and different texts near-orthogonal ones, which is all retrieval plumbing needs to be
 * tested; there is no semantic similarity.
 */
public final class EmbeddingGenerator {

    private EmbeddingGenerator() {}

    public static float[] embed(String model, String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(SeedMixer.mix(0L, model, text));
        double[] raw = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            raw[i] = random.nextGaussian();
            norm += raw[i] * raw[i];
        }
        return normalise(raw, dimensions, Math.sqrt(norm));
    }

    /**
     * Shortens a vector the way OpenAI's {@code dimensions} parameter does: keep the first
     * {@code dimensions} values and rescale to unit length.
     */
    public static float[] truncate(float[] vector, int dimensions) {
        double[] raw = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            raw[i] = vector[i];
            norm += raw[i] * raw[i];
        }
        return normalise(raw, dimensions, Math.sqrt(norm));
    }

    private static float[] normalise(double[] raw, int dimensions, double norm) {
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (norm == 0 ? 0 : raw[i] / norm);
        }
        return vector;
    }
}
