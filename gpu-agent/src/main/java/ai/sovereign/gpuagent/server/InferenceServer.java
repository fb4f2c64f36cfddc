package ai.sovereign.gpuagent.server;

import ai.sovereign.events.GpuTelemetry.ServerType;
import java.net.URI;

/**
 * A configured inference server with its id resolved and its URL normalised (no trailing slash).
 *
 * @param name           configuration key
 * @param id             fleet-unique id
 * @param url            base URL
 * @param type           API it speaks
 * @param maxConcurrency requests it may run at once
 */
public record InferenceServer(String name, String id, String url, ServerType type, int maxConcurrency) {

    static InferenceServer of(ServerSettings settings, String hostId) {
        String url = settings.url().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "gpu-agent.servers." + settings.name() + ".url is not a URL (got \"" + settings.url() + "\")", e);
        }
        if (uri.getScheme() == null
                || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("gpu-agent.servers." + settings.name()
                    + ".url must be an http(s) URL with a host (got \"" + settings.url() + "\")");
        }
        if (settings.type() == null) {
            throw new IllegalArgumentException(
                    "gpu-agent.servers." + settings.name() + ".type must be one of ollama, openai, vllm");
        }
        String id = settings.id() != null && !settings.id().isBlank()
                ? settings.id()
                : hostId + ":" + (uri.getPort() > 0 ? uri.getPort() : settings.name());
        return new InferenceServer(settings.name(), id, url, settings.type(), settings.maxConcurrency());
    }
}
