package ai.sovereign.router.config;

/** One thing wrong with a configuration document: the field's path ({@code queue.maxSize}) and what is wrong. */
public record ConfigProblem(String field, String message) {}
