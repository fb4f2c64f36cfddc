package ai.sovereign.router.fleet;

import java.util.Set;

/**
 * What a server said it serves.
 *
 * @param models       models it can serve
 * @param loaded       models resident in GPU memory now
 * @param loadedKnown  whether the server reports residency at all (Ollama does; OpenAI-compatible servers do not)
 */
public record Discovery(Set<String> models, Set<String> loaded, boolean loadedKnown) {}
