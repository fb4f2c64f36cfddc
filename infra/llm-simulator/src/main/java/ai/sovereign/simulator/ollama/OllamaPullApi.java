package ai.sovereign.simulator.ollama;

import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.model.ModelInfo;
import ai.sovereign.simulator.model.ModelRegistry;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /api/pull: streams the progress lines real Ollama sends (pulling manifest, one "pulling
 * &lt;digest&gt;" series per layer with digest/total/completed, verifying sha256 digest, writing
 * manifest, success), spread evenly over the configured pull duration, then lists the model.
 * Any name can be pulled; a client that disconnects mid-pull leaves no model behind.
 */
public final class OllamaPullApi {

    private static final String[] SMALL_LAYERS = {"template", "license", "params"};
    private static final long[] SMALL_LAYER_SIZES = {1_429, 12_403, 96};

    private final ModelRegistry models;
    private final Duration pullDuration;

    public OllamaPullApi(ModelRegistry models, Duration pullDuration) {
        this.models = models;
        this.pullDuration = pullDuration;
    }

    public void pull(HttpExchange exchange) {
        OllamaRequest request = OllamaRequest.parse(exchange);
        if (request == null) {
            return;
        }
        String name = ModelRegistry.canonical(request.model());
        new Progress(exchange, name, request.stream(), progressLines(name)).start();
    }

    private static List<ObjectNode> progressLines(String name) {
        List<ObjectNode> lines = new ArrayList<>();
        lines.add(status("pulling manifest"));
        addLayer(
                lines,
                ModelInfo.digestOf(name + "#model"),
                ModelInfo.of(name, 0).sizeBytes());
        for (int i = 0; i < SMALL_LAYERS.length; i++) {
            addLayer(lines, ModelInfo.digestOf(name + "#" + SMALL_LAYERS[i]), SMALL_LAYER_SIZES[i]);
        }
        lines.add(status("verifying sha256 digest"));
        lines.add(status("writing manifest"));
        lines.add(status("success"));
        return lines;
    }

    private static void addLayer(List<ObjectNode> lines, String digest, long total) {
        for (long completed : new long[] {0, total / 2, total}) {
            lines.add(status("pulling " + digest.substring(0, 12))
                    .put("digest", "sha256:" + digest)
                    .put("total", total)
                    .put("completed", completed));
        }
    }

    private static ObjectNode status(String status) {
        return Json.object().put("status", status);
    }

    /** One pull in progress, driven by event-loop timers. */
    private final class Progress {

        private final HttpExchange exchange;
        private final String name;
        private final boolean stream;
        private final List<ObjectNode> lines;
        private final long gapNanos;
        private final ChannelFutureListener onClose = f -> cancel();
        private int next;
        private boolean done;
        private ScheduledFuture<?> timer;

        Progress(HttpExchange exchange, String name, boolean stream, List<ObjectNode> lines) {
            this.exchange = exchange;
            this.name = name;
            this.stream = stream;
            this.lines = lines;
            this.gapNanos = pullDuration.toNanos() / (lines.size() - 1);
        }

        void start() {
            exchange.channel().closeFuture().addListener(onClose);
            if (stream) {
                exchange.startStream(OllamaResponder.NDJSON);
                emit();
            } else {
                schedule(pullDuration.toNanos(), this::completeQuietly);
            }
        }

        private void emit() {
            if (next == lines.size() - 1) {
                // Listed before "success" is written, so a client reacting to it finds the model.
                models.putIfAbsent(name);
            }
            exchange.writeChunk(OllamaResponder.ndjson(exchange.channel().alloc(), lines.get(next)), true);
            next++;
            if (next < lines.size()) {
                schedule(gapNanos, this::emit);
            } else {
                exchange.endStream();
                finish();
            }
        }

        private void completeQuietly() {
            models.putIfAbsent(name);
            exchange.sendJson(HttpResponseStatus.OK, status("success"));
            finish();
        }

        private void schedule(long nanos, Runnable task) {
            if (nanos <= 0) {
                task.run();
            } else {
                timer = exchange.channel().eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
            }
        }

        private void cancel() {
            if (!done && timer != null) {
                timer.cancel(false);
            }
            done = true;
        }

        private void finish() {
            done = true;
            exchange.channel().closeFuture().removeListener(onClose);
        }
    }
}
