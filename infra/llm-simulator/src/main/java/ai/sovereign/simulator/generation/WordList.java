package ai.sovereign.simulator.generation;

import java.util.List;
import java.util.Locale;

/**
 * The fixed vocabulary generated text is drawn from. Every word is plain ASCII letters so that each
 * word counts as exactly one token under {@link TokenCounter}; changing this list changes every
 * simulated answer, so tests that pin exact text would notice.
 */
final class WordList {

    static final List<String> WORDS = List.of(
            "the", "model", "answer", "system", "data", "result", "request", "server", "token", "stream",
            "latency", "network", "cluster", "memory", "process", "value", "signal", "query", "index", "vector",
            "document", "source", "policy", "budget", "tenant", "router", "gateway", "queue", "balance", "health",
            "report", "metric", "alert", "backup", "restore", "audit", "ledger", "event", "record", "schema",
            "table", "column", "field", "entry", "batch", "window", "sample", "context", "prompt", "reply",
            "simple", "quick", "steady", "careful", "clear", "bright", "quiet", "strong", "gentle", "rapid",
            "local", "remote", "secure", "private", "public", "shared", "single", "double", "final", "early",
            "is", "was", "will", "can", "should", "may", "must", "does", "has", "keeps",
            "runs", "sends", "reads", "writes", "moves", "holds", "finds", "makes", "takes", "gives",
            "and", "or", "but", "so", "because", "while", "when", "then", "if", "after",
            "with", "from", "into", "over", "under", "about", "between", "through", "across", "within",
            "a", "an", "this", "that", "each", "every", "some", "many", "few", "our");

    /** Each word with a leading space, as it appears after the first word of an answer. */
    static final List<String> SPACED = WORDS.stream().map(w -> " " + w).toList();

    /** Each word capitalised, for the first word of a sentence. */
    static final List<String> CAPITALISED = WORDS.stream()
            .map(w -> w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1))
            .toList();

    static final List<String> SPACED_CAPITALISED = CAPITALISED.stream().map(w -> " " + w).toList();

    private WordList() {
    }
}
