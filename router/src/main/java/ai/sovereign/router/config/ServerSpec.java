package ai.sovereign.router.config;

/**
 * One inference server of the fleet as the routing config declares it.
 *
 * @param id             fleet-unique id, used in paths, metrics and events
 * @param url            base URL without the API path ({@code http://gpu-1:11434}, {@code http://gpu-2:8000})
 * @param type           which API it speaks
 * @param maxConcurrency requests the router sends it at once, never more
 */
public record ServerSpec(String id, String url, ServerType type, int maxConcurrency) {}
