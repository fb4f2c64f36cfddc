package ai.sovereign.router.config;

import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The servers listed under {@code router.servers} in application.yml (or {@code router.servers[0].id=...}
 * properties): {@code id}, {@code url}, {@code type} ({@code ollama}/{@code openai}), {@code maxConcurrency}.
 * They join the versioned routing config at start when it lacks them; a bad entry stops the start naming the field.
 */
@Singleton
public class StaticServers {

    private final List<ServerSpec> servers;

    public StaticServers(Environment environment, ConfigDocumentCodec codec, JsonMapper json) {
        List<Map<String, Object>> entries = environment
                .getProperty("router.servers", Argument.listOf(Argument.mapOf(String.class, Object.class)))
                .orElse(List.of());
        List<ServerSpec> specs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> entry = new java.util.HashMap<>(entries.get(i));
            Object max = entry.get("maxConcurrency");
            if (max == null) {
                max = entry.remove("max-concurrency");
            }
            if (max instanceof String text && text.matches("\\d+")) {
                max = Integer.parseInt(text);
            }
            if (max != null) {
                entry.put("maxConcurrency", max);
            }
            try {
                specs.add(codec.readServer(json.valueToTree(entry)));
            } catch (InvalidConfigException e) {
                throw new IllegalStateException(
                        "router.servers[" + i + "] is invalid: "
                                + e.getMessage().replace("server.", "router.servers[" + i + "]."),
                        e);
            }
        }
        this.servers = List.copyOf(specs);
    }

    public List<ServerSpec> servers() {
        return servers;
    }
}
