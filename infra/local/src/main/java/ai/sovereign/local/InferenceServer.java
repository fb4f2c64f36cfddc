package ai.sovereign.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** An inference server the router sends requests to: a simulated host's or a real one given by the operator. */
public record InferenceServer(String id, String url, String type, int maxConcurrency) {

    /** Default concurrency of a server given only by its URL. */
    public static final int DEFAULT_MAX_CONCURRENCY = 4;

    /**
     * Servers from a comma-separated list of base URLs ({@code SOVEREIGN_OLLAMA_URLS}, {@code SOVEREIGN_OPENAI_URLS}),
     * named {@code <type>-1}, {@code <type>-2}, ...
     */
    static List<InferenceServer> parseList(String variable, String value, String type) {
        List<InferenceServer> servers = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return servers;
        }
        for (String raw : value.split(",", -1)) {
            String url = raw.trim();
            if (url.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(url, "not an http(s) URL with a host");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        variable + " must be a comma-separated list of http(s) base URLs (got '" + url + "')");
            }
            servers.add(new InferenceServer(
                    type + "-" + (servers.size() + 1), url.replaceAll("/+$", ""), type, DEFAULT_MAX_CONCURRENCY));
        }
        return servers;
    }
}
