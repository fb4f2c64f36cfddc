package ai.sovereign.gpuagent;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * {@code gpu-agent.host-id} when nothing sets it: the {@code HOSTNAME} environment variable, else the machine's host
 * name. A property rather than a computed default so that every setting derived from it (the command consumer's group
 * {@code gpu-agent-<host-id>} and client id) agrees with {@link AgentSettings#hostId()}.
 */
@ContextConfigurer
public final class HostIdDefault implements ApplicationContextConfigurer {

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of(
                "gpu-agent-host-id", Map.of("gpu-agent.host-id", localHostName()), Integer.MIN_VALUE));
    }

    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
