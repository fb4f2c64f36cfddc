package ai.sovereign.gpuagent.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, written into the jar at build time. */
final class AgentVersion {

    static final String VALUE = load();

    private AgentVersion() {}

    private static String load() {
        try (InputStream in =
                AgentVersion.class.getResourceAsStream("/ai/sovereign/gpuagent/agent-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "dev");
            return version.startsWith("${") ? "dev" : version;
        } catch (IOException e) {
            return "dev";
        }
    }
}
