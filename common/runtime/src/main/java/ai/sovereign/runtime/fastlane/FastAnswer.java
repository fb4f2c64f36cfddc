package ai.sovereign.runtime.fastlane;

/** An answer a {@link FastRoute} has under way, told what happens to its connection meanwhile (on its event loop). */
public interface FastAnswer {

    /** The connection takes writes again after {@link FastExchange#isWritable()} said it could not. */
    void writable();

    /** The connection closed before the answer ended: whatever the answer waits for can be let go. */
    void clientGone();
}
