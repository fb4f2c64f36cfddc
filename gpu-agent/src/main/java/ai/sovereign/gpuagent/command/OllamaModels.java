package ai.sovereign.gpuagent.command;

import ai.sovereign.gpuagent.http.ServerCallException;
import ai.sovereign.gpuagent.http.ServerHttp;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Model operations on an Ollama server, as its API documents them: {@code POST /api/pull} (NDJSON progress),
 * {@code DELETE /api/delete}, and load / unload through {@code POST /api/generate} with no prompt and a
 * {@code keep_alive} (0 unloads).
 */
@Singleton
public final class OllamaModels {

    /** How long a load or unload may take: loading a large model from disk into GPU memory is slow. */
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);
    /** How long the server may take to start answering a pull. */
    private static final Duration PULL_START_TIMEOUT = Duration.ofMinutes(2);

    private final ServerHttp http;

    public OllamaModels(ServerHttp http) {
        this.http = http;
    }

    /** Pulls {@code model}, reporting each progress line; throws {@link ServerCallException} unless it ends in success. */
    public void pull(String baseUrl, String model, Consumer<PullProgress> progress) {
        Map<String, Long> totals = new LinkedHashMap<>();
        Map<String, Long> completed = new LinkedHashMap<>();
        String[] last = {null};
        http.postStreamingLines(
                baseUrl, "/api/pull", Map.of("model", model, "stream", true), PULL_START_TIMEOUT, line -> {
                    if (line.hasNonNull("error")) {
                        throw new ServerCallException(
                                "pull of " + model + " failed: "
                                        + line.path("error").asString(),
                                0);
                    }
                    String status = line.path("status").asString("");
                    String digest = line.path("digest").asString("");
                    if (!digest.isEmpty() && line.path("total").isIntegralNumber()) {
                        totals.put(digest, line.path("total").asLong());
                        completed.put(digest, line.path("completed").asLong(0));
                    }
                    last[0] = status;
                    progress.accept(new PullProgress(
                            status, totals.isEmpty() ? null : sum(completed), totals.isEmpty() ? null : sum(totals)));
                });
        if (!"success".equals(last[0])) {
            throw new ServerCallException(
                    "pull of " + model + " ended without success (last status: " + last[0] + ")", 0);
        }
    }

    /** Deletes {@code model} from the server's disk. */
    public void delete(String baseUrl, String model) {
        http.sendJson("DELETE", baseUrl, "/api/delete", Map.of("model", model), LOAD_TIMEOUT);
    }

    /** Loads {@code model} into GPU memory for {@code keepAlive} (null: the server's default). */
    public void preload(String baseUrl, String model, String keepAlive) {
        GenerateRequest body = new GenerateRequest(
                model, false, keepAlive == null || keepAlive.isBlank() ? null : keepAliveValue(keepAlive.strip()));
        JsonNode answer = http.json().readTree(http.sendJson("POST", baseUrl, "/api/generate", body, LOAD_TIMEOUT));
        requireDone(answer, "load", model);
    }

    /** Unloads {@code model} from GPU memory now. */
    public void unload(String baseUrl, String model) {
        JsonNode answer = http.json()
                .readTree(http.sendJson(
                        "POST", baseUrl, "/api/generate", new GenerateRequest(model, false, 0), LOAD_TIMEOUT));
        requireDone(answer, "unload", model);
    }

    private static void requireDone(JsonNode answer, String what, String model) {
        if (answer.hasNonNull("error")) {
            throw new ServerCallException(
                    what + " of " + model + " failed: " + answer.path("error").asString(), 0);
        }
    }

    /**
     * {@code POST /api/generate} without a prompt: loads the model for {@code keep_alive} (left out: the server's
     * default), or unloads it with 0.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerateRequest(
            String model,
            boolean stream,
            @JsonProperty("keep_alive") @Nullable Object keepAlive) {}

    /** Ollama takes seconds as a number and durations ({@code 10m}, {@code -1}) as strings. */
    static Object keepAliveValue(String keepAlive) {
        return keepAlive.matches("-?\\d+") ? Long.parseLong(keepAlive) : keepAlive;
    }

    private static long sum(Map<String, Long> values) {
        long total = 0;
        for (long v : values.values()) {
            total += v;
        }
        return total;
    }
}
