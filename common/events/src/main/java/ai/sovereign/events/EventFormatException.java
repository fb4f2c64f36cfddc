package ai.sovereign.events;

import java.util.List;

/**
 * An event that does not match its contract. The message lists each problem as {@code path: problem},
 * for example {@code data.gpus[0].index: expected integer, got "abc"}; {@link #problems()} gives them one by one.
 */
public final class EventFormatException extends RuntimeException {

    private final List<String> problems;

    public EventFormatException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public EventFormatException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** Each problem as {@code path: problem}, in document order. */
    public List<String> problems() {
        return problems;
    }
}
