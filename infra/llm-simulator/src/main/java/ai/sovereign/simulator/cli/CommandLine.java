package ai.sovereign.simulator.cli;

import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.BehaviourJson;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns command-line flags (and an optional --config file) into a {@link SimulatorConfig}.
 * Precedence: built-in defaults, then the file, then flags. Behaviour flags change the default
 * behaviour; per-model blocks of the file still override it for their model.
 */
final class CommandLine {

    static final String USAGE = """
            Usage: java -jar llm-simulator.jar [options]

              --port N                  port to listen on (default 11434; 0 picks a free one)
              --host ADDRESS            address to bind (default 0.0.0.0)
              --models a,b,...          models to serve (default llama3.1:8b,nomic-embed-text)
              --config FILE             JSON config file (see README); flags override it
              --seed N                  global seed for generated text and error draws (default 42)
              --pull-ms MS              duration of a simulated /api/pull (default 300)
              --io-threads N            event-loop threads (default: number of CPUs)

            Prefix (KV) cache of the server (off by default):
              --kv-cache-blocks N       prefix-cache capacity in blocks, LRU (default 0 = no cache)
              --kv-block-tokens N       tokens per block (default 16)
              --prefill-us-per-token US GPU time to prefill one uncached prompt token (default 0)

            Default behaviour of every model (change at run time via /sim/...):
              --ttft-ms MS              time to first token (default 50)
              --inter-token-ms MS       time between tokens (default 10)
              --output-tokens N         answer length when the client sets no lower limit (default 40)
              --max-concurrency N       requests served at once per model, more wait (default 0 = unlimited)
              --error-rate P            share of requests answered with HTTP 500, 0..1 (default 0)
              --unavailable             answer every inference request with HTTP 503
              --reset-after-tokens K    reset the connection (TCP RST) after K tokens; 0 = before any byte
              --hang                    never send response headers; hold the connection
              --slow-start-ms MS        extra delay before the response starts (default 0)
              --load-ms MS              extra delay when a model is not loaded (default 0)
              --embedding-dimensions N  embedding length (default 0 = by model name)
              --help                    print this text
            """;

    /** Flag name → BehaviourJson field; booleans may be given without a value. */
    private static final Map<String, String> BEHAVIOUR_FLAGS = Map.ofEntries(
            Map.entry("ttft-ms", "ttftMs"),
            Map.entry("inter-token-ms", "interTokenMs"),
            Map.entry("output-tokens", "outputTokens"),
            Map.entry("max-concurrency", "maxConcurrency"),
            Map.entry("error-rate", "errorRate"),
            Map.entry("unavailable", "unavailable"),
            Map.entry("reset-after-tokens", "resetAfterTokens"),
            Map.entry("hang", "hang"),
            Map.entry("slow-start-ms", "slowStartMs"),
            Map.entry("load-ms", "loadMs"),
            Map.entry("embedding-dimensions", "embeddingDimensions"));

    private static final List<String> BOOLEAN_FLAGS = List.of("unavailable", "hang");

    private CommandLine() {}

    /** Whether the arguments ask for the usage text. */
    static boolean wantsHelp(String[] args) {
        return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    }

    /** @throws IllegalArgumentException naming the flag and value for anything invalid */
    static SimulatorConfig parse(String[] args) {
        List<String[]> flags = flags(args);
        SimulatorConfig config = SimulatorConfig.defaults().withHost("0.0.0.0").withPort(11434);
        ConfigFile file = null;
        for (String[] flag : flags) {
            if (flag[0].equals("config")) {
                file = ConfigFile.read(Path.of(flag[1]));
            }
        }
        if (file != null) {
            config = file.applyTo(config);
        }
        ObjectNode behaviourPatch = Json.object();
        List<String> models = null;
        for (String[] flag : flags) {
            String name = flag[0];
            String value = flag[1];
            switch (name) {
                case "config" -> {}
                case "port" -> config = config.withPort(integer(name, value));
                case "host" -> config = config.withHost(value);
                case "models" ->
                    models = Arrays.stream(value.split(","))
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .toList();
                case "seed" -> config = config.withSeed(longValue(name, value));
                case "pull-ms" -> config = config.withPullDuration(Duration.ofMillis(longValue(name, value)));
                case "io-threads" -> config = config.withIoThreads(integer(name, value));
                case "kv-cache-blocks" ->
                    config = config.withPrefixCache(config.prefixCache().withCapacityBlocks(integer(name, value)));
                case "kv-block-tokens" ->
                    config = config.withPrefixCache(config.prefixCache().withBlockTokens(integer(name, value)));
                case "prefill-us-per-token" ->
                    config = config.withPrefixCache(config.prefixCache()
                            .withPrefillPerToken(
                                    Duration.ofNanos(Math.round(Double.parseDouble(number(name, value)) * 1000))));
                default -> {
                    String field = BEHAVIOUR_FLAGS.get(name);
                    if (field == null) {
                        throw new IllegalArgumentException("unknown flag --" + name + "; see --help");
                    }
                    behaviourPatch.set(field, Json.parse(BOOLEAN_FLAGS.contains(name) ? value : number(name, value)));
                }
            }
        }
        ModelBehaviour defaults = BehaviourJson.apply(config.defaultBehaviour(), behaviourPatch);
        config = config.withDefaultBehaviour(defaults);
        if (file != null) {
            config = file.applyModelsTo(config, models);
        } else if (models != null) {
            config = config.withModels(models);
        }
        return config;
    }

    // Splits "--name value" and "--name=value"; a boolean flag needs no value.
    private static List<String[]> flags(String[] args) {
        List<String[]> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; flags look like --port 11434");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (BOOLEAN_FLAGS.contains(name) && (i + 1 == args.length || args[i + 1].startsWith("--"))) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
            if (BOOLEAN_FLAGS.contains(name) && !value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--" + name + " must be true or false (got '" + value + "')");
            }
            flags.add(new String[] {name, value});
        }
        return flags;
    }

    private static String number(String flag, String value) {
        try {
            Double.parseDouble(value);
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be a number (got '" + value + "')");
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be an integer (got '" + value + "')");
        }
    }

    private static long longValue(String flag, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be an integer (got '" + value + "')");
        }
    }
}
