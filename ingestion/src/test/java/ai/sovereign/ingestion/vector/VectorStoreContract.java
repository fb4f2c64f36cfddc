package ai.sovereign.ingestion.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorStore} adapter must do, whatever it stores into. A subclass supplies a fresh, empty store of
 * 8 dimensions; {@code LuceneVectorStoreContractTest} runs it on the embedded adapter. The Milvus adapter has no
 * subclass yet: it needs the in-process gRPC stand-in the issue describes.
 */
public abstract class VectorStoreContract {

    protected static final int DIMENSIONS = 8;

    private VectorStore store;
    private final Random random = new Random(11);

    /** A new, empty store with {@link #DIMENSIONS} dimensions for the collection {@code chunks_contract}. */
    protected abstract VectorStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private float[] unit(float... values) {
        float[] v = values.length == DIMENSIONS ? values : new float[DIMENSIONS];
        if (values.length != DIMENSIONS) {
            for (int i = 0; i < DIMENSIONS; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static float[] axis(int i) {
        float[] v = new float[DIMENSIONS];
        v[i] = 1;
        return v;
    }

    private static VectorRecord record(String tenant, String source, int position, float[] vector) {
        return new VectorRecord(
                UUID.nameUUIDFromBytes((source + "#" + position).getBytes()).toString(),
                tenant,
                source,
                position,
                vector);
    }

    @Test
    void nearestFirstWithCosineScores() {
        String source = UUID.randomUUID().toString();
        store.upsert(List.of(
                record("a", source, 0, axis(0)),
                record("a", source, 1, axis(1)),
                record("a", source, 2, unit(1, 1, 0, 0, 0, 0, 0, 0))));
        List<VectorHit> hits = store.search("a", axis(0), 3, List.of());
        assertThat(hits).extracting(VectorHit::position).containsExactly(0, 2, 1);
        assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(hits.get(2).score()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(hits.get(0).sourceId()).isEqualTo(source);
    }

    @Test
    void aTenantNeverSeesAnotherTenantsVectors() {
        String mine = UUID.randomUUID().toString();
        String theirs = UUID.randomUUID().toString();
        store.upsert(List.of(record("a", mine, 0, axis(3)), record("b", theirs, 0, axis(0))));
        assertThat(store.search("a", axis(0), 10, List.of()))
                .extracting(VectorHit::sourceId)
                .containsOnly(mine);
        assertThat(store.search("c", axis(0), 10, List.of())).isEmpty();
    }

    @Test
    void upsertsReplaceByChunkIdAndSourceFiltersAndDeletesWork() {
        String one = UUID.randomUUID().toString();
        String two = UUID.randomUUID().toString();
        store.upsert(List.of(record("a", one, 0, axis(0)), record("a", two, 0, axis(0))));
        store.upsert(List.of(record("a", one, 0, axis(1))));
        assertThat(store.count("a", one)).isEqualTo(1);
        assertThat(store.search("a", axis(1), 1, List.of(one)).getFirst().score())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(store.search("a", axis(0), 10, List.of(two)))
                .extracting(VectorHit::sourceId)
                .containsOnly(two);
        store.deleteSource("a", one);
        store.deleteSource("b", two);
        assertThat(store.count("a", one)).isZero();
        assertThat(store.count("a", two)).isEqualTo(1);
        store.deleteSource("a", one);
    }

    @Test
    void exportGivesEveryVectorOfEveryTenantAndReplaceRestoresIt() {
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            records.add(record(i % 2 == 0 ? "a" : "b", "s-" + (i / 10), i % 10, unit()));
        }
        store.upsert(records);
        List<VectorRecord> exported;
        try (Stream<VectorRecord> all = store.exportAll()) {
            exported = all.toList();
        }
        assertThat(exported).hasSize(250);
        assertThat(exported).usingRecursiveFieldByFieldElementComparator().containsExactlyInAnyOrderElementsOf(records);

        assertThat(store.replaceAll(List.<VectorRecord>of().iterator())).isZero();
        try (Stream<VectorRecord> all = store.exportAll()) {
            assertThat(all.count()).isZero();
        }
        assertThat(store.search("a", records.getFirst().vector(), 5, List.of())).isEmpty();

        assertThat(store.replaceAll(exported.iterator())).isEqualTo(250);
        assertThat(store.search("a", records.getFirst().vector(), 1, List.of())
                        .getFirst()
                        .chunkId())
                .isEqualTo(records.getFirst().chunkId());
        try (Stream<VectorRecord> all = store.exportAll()) {
            assertThat(all.toList())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(records);
        }
        assertThat(store.collection()).isEqualTo("chunks_contract");
        assertThat(store.dimensions()).isEqualTo(DIMENSIONS);
        assertThat(store.healthy()).isTrue();
    }

    @Test
    void aReplaceThatFailsHalfWayLeavesTheOldContent() {
        String source = UUID.randomUUID().toString();
        store.upsert(List.of(record("a", source, 0, axis(0))));
        java.util.Iterator<VectorRecord> failing = new java.util.Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public VectorRecord next() {
                if (n++ == 3) {
                    throw new IllegalStateException("the import broke");
                }
                return record("z", "other", n, unit());
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.replaceAll(failing))
                .hasMessageContaining("the import broke");
        assertThat(store.count("a", source)).isEqualTo(1);
        assertThat(store.search("z", axis(0), 10, List.of())).isEmpty();
        store.upsert(List.of(record("a", source, 1, axis(1))));
        assertThat(store.count("a", source)).isEqualTo(2);
    }
}
