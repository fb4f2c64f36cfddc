package ai.sovereign.ingestion.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmbeddingBatcherTest {

    /** Embeds "d3-t7" as [3, 7]; refuses any batch containing "poison"; records batch sizes; can hold a call. */
    private static final class FakeEmbedder implements Embedder {
        final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch hold = new CountDownLatch(0);
        final CountDownLatch firstCall = new CountDownLatch(1);

        @Override
        public String model() {
            return "fake";
        }

        @Override
        public int dimensions() {
            return 2;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            firstCall.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (texts.stream().anyMatch(t -> t.contains("poison"))) {
                throw new IllegalArgumentException("cannot embed poison");
            }
            batches.add(texts.size());
            return texts.stream()
                    .map(t -> {
                        String[] parts = t.substring(1).split("-t");
                        return new float[] {Float.parseFloat(parts[0]), Float.parseFloat(parts[1])};
                    })
                    .toList();
        }
    }

    private static List<String> doc(int d, int chunks) {
        return IntStream.range(0, chunks).mapToObj(i -> "d" + d + "-t" + i).toList();
    }

    @Test
    void chunksOfDocumentsInFlightShareBatchesAndComeBackInOrder() throws Exception {
        FakeEmbedder model = new FakeEmbedder();
        model.hold = new CountDownLatch(1);
        List<EmbeddingBatcher.BatchStats> stats = Collections.synchronizedList(new ArrayList<>());
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 8, Duration.ofMillis(5), stats::add);
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            // the first document occupies the model; the other 10 (3 chunks each) queue meanwhile
            Future<List<float[]>> first = callers.submit(() -> batcher.embed(doc(0, 2)));
            model.firstCall.await();
            List<Future<List<float[]>>> rest = new ArrayList<>();
            for (int d = 1; d <= 10; d++) {
                int id = d;
                rest.add(callers.submit(() -> batcher.embed(doc(id, 3))));
            }
            while (model.hold.getCount() > 0 && batcher.queued() < 10) {
                Thread.onSpinWait();
            }
            model.hold.countDown();
            assertThat(first.get()).hasSize(2);
            for (int d = 1; d <= 10; d++) {
                List<float[]> vectors = rest.get(d - 1).get();
                assertThat(vectors).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    assertThat(vectors.get(i)).containsExactly(d, i);
                }
            }
        }
        // 2 + 30 chunks: the first batch alone, then full batches of 8 spanning documents
        assertThat(model.batches).startsWith(2, 8, 8, 8).hasSize(5);
        assertThat(model.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(32);
        assertThat(stats).anySatisfy(s -> assertThat(s.documents()).isGreaterThan(1));
    }

    @Test
    void aDocumentLargerThanABatchSpansSeveralInOrder() {
        FakeEmbedder model = new FakeEmbedder();
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 4, Duration.ZERO, s -> {})) {
            List<float[]> vectors = batcher.embed(doc(5, 10));
            assertThat(vectors).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(vectors.get(i)).containsExactly(5, i);
            }
        }
        assertThat(model.batches).containsExactly(4, 4, 2);
    }

    @Test
    void aFailingDocumentFailsAloneWhileItsBatchNeighboursSucceed() throws Exception {
        FakeEmbedder model = new FakeEmbedder();
        model.hold = new CountDownLatch(1);
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 16, Duration.ofMillis(5), s -> {});
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<float[]>> blocker = callers.submit(() -> batcher.embed(doc(0, 1)));
            model.firstCall.await();
            Future<List<float[]>> good = callers.submit(() -> batcher.embed(doc(1, 2)));
            Future<List<float[]>> bad = callers.submit(() -> batcher.embed(List.of("d2-t0", "poison")));
            Future<List<float[]>> alsoGood = callers.submit(() -> batcher.embed(doc(3, 2)));
            while (batcher.queued() < 3) {
                Thread.onSpinWait();
            }
            model.hold.countDown();
            assertThat(blocker.get()).hasSize(1);
            assertThat(good.get()).hasSize(2);
            assertThat(alsoGood.get()).hasSize(2);
            assertThatThrownBy(bad::get)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("poison");
        }
    }
}
