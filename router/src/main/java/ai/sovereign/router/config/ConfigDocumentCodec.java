package ai.sovereign.router.config;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routing configuration as a JSON document: reads and validates one (every problem named by its field, nothing
 * applied when any is found) and writes one. The rules here and {@code config-schema.json} describe the same
 * document; {@code ConfigSchemaTest} keeps them in step.
 */
public final class ConfigDocumentCodec {

    static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final long MAX_MS = 86_400_000L;
    private static final List<String> SECTIONS =
            List.of("servers", "queue", "circuitBreaker", "retry", "health", "recovery", "metrics", "balancing");
    private static final List<String> SERVER_FIELDS = List.of("id", "url", "type", "maxConcurrency");
    public static final int DEFAULT_MAX_CONCURRENCY = 4;

    private final JsonMapper json;

    public ConfigDocumentCodec(JsonMapper json) {
        this.json = json;
    }

    /** A whole document; absent sections and fields take their values from {@code base}. */
    public RoutingConfig read(JsonNode document, RoutingConfig base) {
        DocumentReader reader = new DocumentReader();
        if (!reader.requireObject(document, "")) {
            reader.throwIfInvalid();
        }
        reader.rejectUnknown(document, "", SECTIONS);
        List<ServerSpec> servers =
                reader.list(document, "", "servers", base.servers(), (node, path) -> server(reader, node, path));
        RoutingConfig config = new RoutingConfig(
                servers,
                reader.section(document, "", "queue", base.queue(), node -> queue(reader, node, base.queue())),
                reader.section(
                        document,
                        "",
                        "circuitBreaker",
                        base.circuitBreaker(),
                        node -> breaker(reader, node, base.circuitBreaker())),
                reader.section(document, "", "retry", base.retry(), node -> retry(reader, node, base.retry())),
                reader.section(document, "", "health", base.health(), node -> health(reader, node, base.health())),
                reader.section(
                        document, "", "recovery", base.recovery(), node -> recovery(reader, node, base.recovery())),
                reader.section(document, "", "metrics", base.metrics(), node -> metrics(reader, node, base.metrics())),
                reader.section(
                        document,
                        "",
                        "balancing",
                        base.balancing(),
                        node -> balancing(reader, node, base.balancing())));
        checkUniqueIds(reader, servers);
        reader.throwIfInvalid();
        return config;
    }

    /** A change to the {@code queue} section: the given fields replace those of {@code current}. */
    public QueueSettings readQueuePatch(JsonNode patch, QueueSettings current) {
        DocumentReader reader = new DocumentReader();
        QueueSettings value = reader.requireObject(patch, "queue") ? queue(reader, patch, current) : current;
        reader.throwIfInvalid();
        return value;
    }

    /** A change to the {@code metrics} section. */
    public MetricsSettings readMetricsPatch(JsonNode patch, MetricsSettings current) {
        DocumentReader reader = new DocumentReader();
        MetricsSettings value = reader.requireObject(patch, "metrics") ? metrics(reader, patch, current) : current;
        reader.throwIfInvalid();
        return value;
    }

    /** A change to the {@code balancing} section: given fields (also inside weights and prefix) replace current ones. */
    public BalancingSettings readBalancingPatch(JsonNode patch, BalancingSettings current) {
        DocumentReader reader = new DocumentReader();
        BalancingSettings value =
                reader.requireObject(patch, "balancing") ? balancing(reader, patch, current) : current;
        reader.throwIfInvalid();
        return value;
    }

    /** One server entry, as {@code servers/add} takes it; problems are named {@code server.<field>}. */
    public ServerSpec readServer(JsonNode node) {
        DocumentReader reader = new DocumentReader();
        ServerSpec spec = server(reader, node, "server");
        reader.throwIfInvalid();
        return spec;
    }

    public ObjectNode write(RoutingConfig config) {
        ObjectNode document = json.createObjectNode();
        ArrayNode servers = document.putArray("servers");
        for (ServerSpec s : config.servers()) {
            servers.addObject()
                    .put("id", s.id())
                    .put("url", s.url())
                    .put("type", s.type().wireName())
                    .put("maxConcurrency", s.maxConcurrency());
        }
        QueueSettings q = config.queue();
        document.putObject("queue").put("maxSize", q.maxSize()).put("timeoutMs", q.timeoutMs());
        BreakerSettings b = config.circuitBreaker();
        document.putObject("circuitBreaker")
                .put("failureThreshold", b.failureThreshold())
                .put("minRequests", b.minRequests())
                .put("windowMs", b.windowMs())
                .put("recoveryTimeoutMs", b.recoveryTimeoutMs())
                .put("halfOpenProbes", b.halfOpenProbes());
        RetrySettings r = config.retry();
        document.putObject("retry")
                .put("maxAttempts", r.maxAttempts())
                .put("firstByteTimeoutMs", r.firstByteTimeoutMs())
                .put("streamIdleTimeoutMs", r.streamIdleTimeoutMs());
        HealthSettings h = config.health();
        document.putObject("health").put("intervalMs", h.intervalMs()).put("timeoutMs", h.timeoutMs());
        RecoverySettings v = config.recovery();
        document.putObject("recovery")
                .put("intervalMs", v.intervalMs())
                .put("timeoutMs", v.timeoutMs())
                .put("banAfterFailures", v.banAfterFailures())
                .put("banDurationMs", v.banDurationMs())
                .put("historySize", v.historySize());
        document.putObject("metrics").put("windowMs", config.metrics().windowMs());
        ObjectNode balancing = document.putObject("balancing");
        RoutingWeights w = config.balancing().weights();
        balancing
                .putObject("weights")
                .put("load", w.load())
                .put("prefix", w.prefix())
                .put("warmModel", w.warmModel())
                .put("latency", w.latency())
                .put("gpuMemory", w.gpuMemory())
                .put("failures", w.failures());
        PrefixSettings x = config.balancing().prefix();
        balancing
                .putObject("prefix")
                .put("blockChars", x.blockChars())
                .put("maxBlocksPerRequest", x.maxBlocksPerRequest())
                .put("blocksPerServer", x.blocksPerServer())
                .put("maxAgeMs", x.maxAgeMs())
                .put("loadBound", x.loadBound())
                .put("maxSessions", x.maxSessions());
        return document;
    }

    public ObjectNode writeServer(ServerSpec s) {
        return json.createObjectNode()
                .put("id", s.id())
                .put("url", s.url())
                .put("type", s.type().wireName())
                .put("maxConcurrency", s.maxConcurrency());
    }

    private static ServerSpec server(DocumentReader reader, JsonNode node, String path) {
        if (!reader.requireObject(node, path)) {
            return null;
        }
        reader.rejectUnknown(node, path, SERVER_FIELDS);
        String id = reader.string(node, path, "id", null, true);
        if (id != null && !SERVER_ID.matcher(id).matches()) {
            reader.problem(
                    path + ".id",
                    path + ".id must be 1-64 letters, digits, '.', '_' or '-', starting with a "
                            + "letter or digit (got \"" + id + "\")");
        }
        String url = reader.string(node, path, "url", null, true);
        if (url != null) {
            url = normaliseUrl(reader, path + ".url", url);
        }
        String typeName = reader.string(node, path, "type", null, true);
        ServerType type = null;
        if (typeName != null) {
            Optional<ServerType> parsed = ServerType.parse(typeName);
            if (parsed.isEmpty()) {
                reader.problem(
                        path + ".type",
                        path + ".type must be ollama or openai (got \"" + typeName
                                + "\"); use openai for vLLM, llama.cpp server and other OpenAI-compatible servers");
            }
            type = parsed.orElse(null);
        }
        int maxConcurrency = reader.integer(node, path, "maxConcurrency", DEFAULT_MAX_CONCURRENCY, 1, 100_000);
        if (id == null || url == null || type == null) {
            return null;
        }
        return new ServerSpec(id, url, type, maxConcurrency);
    }

    /** Keeps {@code scheme://host[:port][/path]} without a trailing slash; anything else is a problem. */
    private static String normaliseUrl(DocumentReader reader, String field, String url) {
        try {
            URI uri = URI.create(url.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException();
            }
            String text = uri.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            return text;
        } catch (IllegalArgumentException e) {
            reader.problem(field, field + " must be an http(s) URL such as http://gpu-1:11434 (got \"" + url + "\")");
            return url;
        }
    }

    private static void checkUniqueIds(DocumentReader reader, List<ServerSpec> servers) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            if (!seen.add(servers.get(i).id())) {
                reader.problem(
                        "servers[" + i + "].id",
                        "servers[" + i + "].id \"" + servers.get(i).id()
                                + "\" is used by an earlier server; server ids must be unique");
            }
        }
    }

    private static QueueSettings queue(DocumentReader reader, JsonNode node, QueueSettings base) {
        reader.rejectUnknown(node, "queue", List.of("maxSize", "timeoutMs"));
        return new QueueSettings(
                reader.integer(node, "queue", "maxSize", base.maxSize(), 1, 1_000_000),
                reader.longValue(node, "queue", "timeoutMs", base.timeoutMs(), 1, MAX_MS));
    }

    private static BreakerSettings breaker(DocumentReader reader, JsonNode node, BreakerSettings base) {
        String p = "circuitBreaker";
        reader.rejectUnknown(
                node, p, List.of("failureThreshold", "minRequests", "windowMs", "recoveryTimeoutMs", "halfOpenProbes"));
        return new BreakerSettings(
                reader.ratio(node, p, "failureThreshold", base.failureThreshold(), false),
                reader.integer(node, p, "minRequests", base.minRequests(), 1, 1_000_000),
                reader.longValue(node, p, "windowMs", base.windowMs(), 100, MAX_MS),
                reader.longValue(node, p, "recoveryTimeoutMs", base.recoveryTimeoutMs(), 1, MAX_MS),
                reader.integer(node, p, "halfOpenProbes", base.halfOpenProbes(), 1, 1000));
    }

    private static RetrySettings retry(DocumentReader reader, JsonNode node, RetrySettings base) {
        reader.rejectUnknown(node, "retry", List.of("maxAttempts", "firstByteTimeoutMs", "streamIdleTimeoutMs"));
        return new RetrySettings(
                reader.integer(node, "retry", "maxAttempts", base.maxAttempts(), 1, 10),
                reader.longValue(node, "retry", "firstByteTimeoutMs", base.firstByteTimeoutMs(), 1, MAX_MS),
                reader.longValue(node, "retry", "streamIdleTimeoutMs", base.streamIdleTimeoutMs(), 1, MAX_MS));
    }

    private static HealthSettings health(DocumentReader reader, JsonNode node, HealthSettings base) {
        reader.rejectUnknown(node, "health", List.of("intervalMs", "timeoutMs"));
        return new HealthSettings(
                reader.longValue(node, "health", "intervalMs", base.intervalMs(), 10, MAX_MS),
                reader.longValue(node, "health", "timeoutMs", base.timeoutMs(), 1, MAX_MS));
    }

    private static RecoverySettings recovery(DocumentReader reader, JsonNode node, RecoverySettings base) {
        String p = "recovery";
        reader.rejectUnknown(
                node, p, List.of("intervalMs", "timeoutMs", "banAfterFailures", "banDurationMs", "historySize"));
        return new RecoverySettings(
                reader.longValue(node, p, "intervalMs", base.intervalMs(), 10, MAX_MS),
                reader.longValue(node, p, "timeoutMs", base.timeoutMs(), 1, MAX_MS),
                reader.integer(node, p, "banAfterFailures", base.banAfterFailures(), 1, 1000),
                reader.longValue(node, p, "banDurationMs", base.banDurationMs(), 1, 30 * MAX_MS),
                reader.integer(node, p, "historySize", base.historySize(), 1, 100_000));
    }

    private static MetricsSettings metrics(DocumentReader reader, JsonNode node, MetricsSettings base) {
        reader.rejectUnknown(node, "metrics", List.of("windowMs"));
        return new MetricsSettings(reader.longValue(node, "metrics", "windowMs", base.windowMs(), 1000, 7 * MAX_MS));
    }

    private static BalancingSettings balancing(DocumentReader reader, JsonNode node, BalancingSettings base) {
        reader.rejectUnknown(node, "balancing", List.of("weights", "prefix"));
        return new BalancingSettings(
                reader.section(node, "balancing", "weights", base.weights(), n -> weights(reader, n, base.weights())),
                reader.section(node, "balancing", "prefix", base.prefix(), n -> prefix(reader, n, base.prefix())));
    }

    private static RoutingWeights weights(DocumentReader reader, JsonNode node, RoutingWeights base) {
        String p = "balancing.weights";
        reader.rejectUnknown(node, p, List.of("load", "prefix", "warmModel", "latency", "gpuMemory", "failures"));
        double max = RoutingWeights.MAX;
        return new RoutingWeights(
                reader.number(node, p, "load", base.load(), 0, max),
                reader.number(node, p, "prefix", base.prefix(), 0, max),
                reader.number(node, p, "warmModel", base.warmModel(), 0, max),
                reader.number(node, p, "latency", base.latency(), 0, max),
                reader.number(node, p, "gpuMemory", base.gpuMemory(), 0, max),
                reader.number(node, p, "failures", base.failures(), 0, max));
    }

    private static PrefixSettings prefix(DocumentReader reader, JsonNode node, PrefixSettings base) {
        String p = "balancing.prefix";
        reader.rejectUnknown(
                node,
                p,
                List.of(
                        "blockChars",
                        "maxBlocksPerRequest",
                        "blocksPerServer",
                        "maxAgeMs",
                        "loadBound",
                        "maxSessions"));
        return new PrefixSettings(
                reader.integer(node, p, "blockChars", base.blockChars(), 8, 65_536),
                reader.integer(node, p, "maxBlocksPerRequest", base.maxBlocksPerRequest(), 1, 65_536),
                reader.integer(node, p, "blocksPerServer", base.blocksPerServer(), 16, 4_194_304),
                reader.longValue(node, p, "maxAgeMs", base.maxAgeMs(), 1000, 7 * MAX_MS),
                reader.number(node, p, "loadBound", base.loadBound(), 1, 100),
                reader.integer(node, p, "maxSessions", base.maxSessions(), 0, 10_000_000));
    }
}
