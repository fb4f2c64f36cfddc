package ai.sovereign.simulator;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.KvCacheModel;
import ai.sovereign.simulator.control.ControlApi;
import ai.sovereign.simulator.generation.CompletionPlanner;
import ai.sovereign.simulator.http.HttpServer;
import ai.sovereign.simulator.http.RequestDispatcher;
import ai.sovereign.simulator.metrics.Endpoint;
import ai.sovereign.simulator.metrics.PrometheusFormat;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import ai.sovereign.simulator.ollama.OllamaEmbeddingApi;
import ai.sovereign.simulator.ollama.OllamaGenerationApi;
import ai.sovereign.simulator.ollama.OllamaModelsApi;
import ai.sovereign.simulator.ollama.OllamaPullApi;
import ai.sovereign.simulator.openai.OpenAiEmbeddingApi;
import ai.sovereign.simulator.openai.OpenAiGenerationApi;
import ai.sovereign.simulator.openai.OpenAiModelsApi;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A running LLM backend simulator: Ollama and OpenAI APIs on one port, with behaviour that tests
 * and benchmarks change while it runs.
 *
 * <pre>{@code
 * try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults().withModels("llama3.1:8b"))) {
 *     sim.updateBehaviour("llama3.1:8b", b -> b.withErrorRate(0.5));
 *     ... http calls against sim.baseUrl() ...
 *     assertEquals(10, sim.metrics().requests(Endpoint.OPENAI_CHAT));
 * }
 * }</pre>
 */
public final class LlmSimulator implements AutoCloseable {

    private final SimulatorConfig config;
    private final ModelRegistry models;
    private final SimulatorMetrics metrics;
    private final HttpServer server;
    private final KvCacheModel kvCache;

    private LlmSimulator(
            SimulatorConfig config,
            ModelRegistry models,
            SimulatorMetrics metrics,
            HttpServer server,
            KvCacheModel kvCache) {
        this.kvCache = kvCache;
        this.config = config;
        this.models = models;
        this.metrics = metrics;
        this.server = server;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static LlmSimulator start(SimulatorConfig config) {
        Clock clock = Clock.systemUTC();
        ModelRegistry models = new ModelRegistry(config.seed(), config.defaultBehaviour(), clock);
        config.models().forEach(name -> models.put(name, config.behaviourOf(name)));
        SimulatorMetrics metrics = new SimulatorMetrics(models);
        KvCacheModel kvCache = new KvCacheModel(config.prefixCache());
        RequestDispatcher dispatcher = routes(config, models, metrics, clock, kvCache);
        HttpServer server = HttpServer.start(config.host(), config.port(), config.ioThreads(), dispatcher);
        return new LlmSimulator(config, models, metrics, server, kvCache);
    }

    private static RequestDispatcher routes(
            SimulatorConfig config, ModelRegistry models, SimulatorMetrics metrics, Clock clock, KvCacheModel kvCache) {
        CompletionPlanner planner = new CompletionPlanner(config.seed());
        var ollamaModels = new OllamaModelsApi(models, clock);
        var ollamaGeneration = new OllamaGenerationApi(models, metrics, planner, kvCache);
        var ollamaEmbedding = new OllamaEmbeddingApi(models, metrics);
        var ollamaPull = new OllamaPullApi(models, config.pullDuration());
        var openAiModels = new OpenAiModelsApi(models);
        var openAiGeneration = new OpenAiGenerationApi(models, metrics, planner, clock, kvCache);
        var openAiEmbedding = new OpenAiEmbeddingApi(models, metrics);
        var control = new ControlApi(models, metrics);
        RequestDispatcher dispatcher = new RequestDispatcher(metrics)
                .on(HttpMethod.GET, "/", Endpoint.ROOT, ollamaModels::root)
                .on(HttpMethod.GET, "/health", Endpoint.HEALTH, e -> e.sendEmpty(HttpResponseStatus.OK))
                .on(
                        HttpMethod.GET,
                        "/metrics",
                        Endpoint.METRICS,
                        e -> e.sendText(
                                HttpResponseStatus.OK,
                                "text/plain; version=0.0.4; charset=utf-8",
                                PrometheusFormat.render(metrics, kvCache)))
                .on(HttpMethod.GET, "/api/version", Endpoint.OLLAMA_VERSION, ollamaModels::version)
                .on(HttpMethod.GET, "/api/tags", Endpoint.OLLAMA_TAGS, ollamaModels::tags)
                .on(HttpMethod.GET, "/api/ps", Endpoint.OLLAMA_PS, ollamaModels::ps)
                .on(HttpMethod.POST, "/api/show", Endpoint.OLLAMA_SHOW, ollamaModels::show)
                .on(HttpMethod.DELETE, "/api/delete", Endpoint.OLLAMA_DELETE, ollamaModels::delete)
                .on(HttpMethod.POST, "/api/pull", Endpoint.OLLAMA_PULL, ollamaPull::pull)
                .on(HttpMethod.POST, "/api/chat", Endpoint.OLLAMA_CHAT, ollamaGeneration::chat)
                .on(HttpMethod.POST, "/api/generate", Endpoint.OLLAMA_GENERATE, ollamaGeneration::generate)
                .on(HttpMethod.POST, "/api/embed", Endpoint.OLLAMA_EMBED, ollamaEmbedding::embed)
                .on(HttpMethod.POST, "/api/embeddings", Endpoint.OLLAMA_EMBEDDINGS, ollamaEmbedding::embeddings)
                .on(HttpMethod.GET, "/v1/models", Endpoint.OPENAI_MODELS, openAiModels::list)
                .onPrefix(HttpMethod.GET, "/v1/models/", Endpoint.OPENAI_MODELS, openAiModels::retrieve)
                .on(HttpMethod.POST, "/v1/chat/completions", Endpoint.OPENAI_CHAT, openAiGeneration::chatCompletions)
                .on(HttpMethod.POST, "/v1/completions", Endpoint.OPENAI_COMPLETIONS, openAiGeneration::completions)
                .on(HttpMethod.POST, "/v1/embeddings", Endpoint.OPENAI_EMBEDDINGS, openAiEmbedding::embeddings);
        for (HttpMethod method :
                List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.POST)) {
            dispatcher.onPrefix(method, ControlApi.PREFIX, Endpoint.CONTROL, control::handle);
        }
        return dispatcher;
    }

    /** The bound port (the chosen one when the config said 0). */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}, without a trailing slash; 0.0.0.0 is shown as 127.0.0.1. */
    public String baseUrl() {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** Names of the models served now, sorted. */
    public List<String> models() {
        return models.all().stream().map(SimulatedModel::name).toList();
    }

    /**
     * The behaviour of a served model.
     *
     * @throws IllegalArgumentException when the model is not served
     */
    public ModelBehaviour behaviour(String model) {
        return require(model).behaviour();
    }

    /** Replaces a model's behaviour for requests arriving from now on. */
    public void behaviour(String model, ModelBehaviour behaviour) {
        require(model).behaviour(behaviour);
    }

    /** Changes a model's behaviour, e.g. {@code sim.updateBehaviour(m, b -> b.withHang(true))}. */
    public void updateBehaviour(String model, UnaryOperator<ModelBehaviour> change) {
        SimulatedModel target = require(model);
        target.behaviour(change.apply(target.behaviour()));
    }

    /** Applies a change to every model and to the default behaviour of models added later. */
    public void updateAllBehaviours(UnaryOperator<ModelBehaviour> change) {
        models.defaultBehaviour(change.apply(models.defaultBehaviour()));
        for (SimulatedModel model : models.all()) {
            model.behaviour(change.apply(model.behaviour()));
        }
    }

    /** Adds a model with the default behaviour (no-op when already served). */
    public void addModel(String model) {
        models.putIfAbsent(model);
    }

    /** Adds a model, or replaces the behaviour of one already served. */
    public void addModel(String model, ModelBehaviour behaviour) {
        models.put(model, behaviour);
    }

    /** Stops serving a model; returns whether it was served. */
    public boolean removeModel(String model) {
        return models.remove(model).isPresent();
    }

    /** Whether the model is loaded, as /api/ps would list it. */
    public boolean isLoaded(String model) {
        return require(model).isLoaded(Instant.now());
    }

    /** The server's prefix cache and prefill model (its cache is empty and unused unless configured). */
    public KvCacheModel kvCache() {
        return kvCache;
    }

    /** Live counters: requests per endpoint, pulls, running/waiting requests, tokens, failures. */
    public SimulatorMetrics metrics() {
        return metrics;
    }

    /**
     * Stops listening and drops open connections (clients see them closed). The port is free
     * again when this returns, so a test can start a new simulator on it.
     */
    @Override
    public void close() {
        server.close();
    }

    private SimulatedModel require(String model) {
        return models.find(model)
                .orElseThrow(
                        () -> new IllegalArgumentException("model '" + model + "' is not served; models: " + models()));
    }
}
