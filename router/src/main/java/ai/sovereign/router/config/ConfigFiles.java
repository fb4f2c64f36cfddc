package ai.sovereign.router.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes routing configuration files (YAML, or JSON by extension). Admin requests name files by path, so
 * every path must lie inside one configured directory: an admin token must not become a way to read or overwrite
 * arbitrary files of the router's host.
 */
public final class ConfigFiles {

    private final Path directory;
    private final JsonMapper json;

    public ConfigFiles(Path directory, JsonMapper json) {
        this.directory = directory.toAbsolutePath().normalize();
        this.json = json;
    }

    public Path directory() {
        return directory;
    }

    /** The file {@code name} resolves to, relative paths against the directory. */
    public Path resolve(String name, String field) {
        if (name == null || name.isBlank()) {
            throw InvalidConfigException.of(field, field + " is required");
        }
        Path path = directory.resolve(name.trim()).toAbsolutePath().normalize();
        if (!path.startsWith(directory)) {
            throw InvalidConfigException.of(
                    field,
                    field + " must be inside the router's configuration directory " + directory
                            + " (router.config-directory); got \"" + name + "\"");
        }
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(file.endsWith(".yml") || file.endsWith(".yaml") || file.endsWith(".json"))) {
            throw InvalidConfigException.of(field, field + " must end in .yml, .yaml or .json (got \"" + name + "\")");
        }
        return path;
    }

    /** The file's content as a JSON tree. */
    public JsonNode read(Path path, String field) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidConfigException.of(
                    field,
                    field + " could not be read: " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            if (path.toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                return json.readTree(text);
            }
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            return json.valueToTree(loaded == null ? Map.of() : loaded);
        } catch (RuntimeException e) {
            throw InvalidConfigException.of(
                    field,
                    field + " is not valid " + (path.toString().endsWith(".json") ? "JSON" : "YAML") + ": "
                            + firstLine(e.getMessage()));
        }
    }

    /** Writes {@code document} to {@code path} (YAML unless it ends in .json), replacing the file atomically. */
    public void write(Path path, JsonNode document) throws IOException {
        String text;
        if (path.toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            text = json.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        } else {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setIndent(2);
            text = "# Routing configuration of the router, written by POST /api/orchestrator/config/save\n"
                    + new Yaml(options).dump(json.treeToValue(document, Map.class));
        }
        Files.createDirectories(path.getParent());
        Path temporary = Files.createTempFile(path.getParent(), ".routing-", ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(
                temporary,
                path,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
