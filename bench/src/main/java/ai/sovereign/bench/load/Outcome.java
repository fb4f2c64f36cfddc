package ai.sovereign.bench.load;

/** What one request of a load run came to. */
public enum Outcome {
    SUCCESS,
    FAILURE
}
