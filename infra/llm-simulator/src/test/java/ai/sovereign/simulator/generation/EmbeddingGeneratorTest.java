package ai.sovereign.simulator.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmbeddingGeneratorTest {

    @Test
    void vectorsAreUnitLengthAndDeterministic() {
        float[] a = EmbeddingGenerator.embed("m", "some text", 384);
        assertEquals(384, a.length);
        assertEquals(1.0, norm(a), 1e-5);
        assertArrayEquals(a, EmbeddingGenerator.embed("m", "some text", 384));
    }

    @Test
    void differentTextsAreNearlyOrthogonal() {
        float[] a = EmbeddingGenerator.embed("m", "first", 768);
        float[] b = EmbeddingGenerator.embed("m", "second", 768);
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        assertTrue(Math.abs(dot) < 0.2, "cosine " + dot);
    }

    @Test
    void truncationKeepsTheLeadingValuesDirectionAndUnitLength() {
        float[] full = EmbeddingGenerator.embed("m", "text", 384);
        float[] cut = EmbeddingGenerator.truncate(full, 8);
        assertEquals(8, cut.length);
        assertEquals(1.0, norm(cut), 1e-5);
        assertTrue(Math.signum(cut[0]) == Math.signum(full[0]));
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
