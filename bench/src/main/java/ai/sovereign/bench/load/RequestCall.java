package ai.sovereign.bench.load;

/** One request of a load run; returns how it ended, never throws for an ordinary failure. */
@FunctionalInterface
public interface RequestCall {

    Outcome call(long sequence) throws Exception;
}
