package ai.sovereign.router.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration document or change that was rejected; the configuration in force is untouched. */
public final class InvalidConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::message).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public static InvalidConfigException of(String field, String message) {
        return new InvalidConfigException(List.of(new ConfigProblem(field, message)));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The first field at fault, for the error body's {@code param}. */
    public String field() {
        return problems.getFirst().field();
    }
}
