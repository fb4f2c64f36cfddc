package ai.sovereign.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options a service's image ships, for benchmarks that start the service as its own process: the
 * {@code JAVA_TOOL_OPTIONS} of {@code <service>/Dockerfile}, in a JVM that sees the memory of its container
 * ({@code -XX:MaxRAM}, as a cgroup limit would show it: heap and collector ergonomics follow from it as in the
 * container). {@code -Dbench.<service>.java-tool-options="..."} replaces the Dockerfile's options, to evaluate a
 * candidate or run an older jar with the options it shipped with (never for a published "after" figure).
 */
public final class ImageJvmOptions {

    /** The memory limit of the gateway's and the router's containers (infra/k8s/base/gateway.yaml, router.yaml). */
    public static final String CONTAINER_MEMORY = "2g";

    private static final Pattern JAVA_TOOL_OPTIONS = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"");

    private ImageJvmOptions() {}

    /** The options of {@code service} (a module directory with a Dockerfile, relative to the repository root). */
    public static List<String> of(String service) throws IOException {
        String options = System.getProperty("bench." + service + ".java-tool-options");
        if (options == null) {
            Matcher shipped = JAVA_TOOL_OPTIONS.matcher(Files.readString(Path.of(service, "Dockerfile")));
            if (!shipped.find()) {
                throw new IllegalStateException(service + "/Dockerfile sets no ENV JAVA_TOOL_OPTIONS=\"...\"");
            }
            options = shipped.group(1);
        }
        List<String> jvm = new ArrayList<>(List.of("-XX:MaxRAM=" + CONTAINER_MEMORY));
        for (String option : options.trim().split("\\s+", -1)) {
            if (!option.isEmpty()) {
                jvm.add(option);
            }
        }
        return jvm;
    }
}
