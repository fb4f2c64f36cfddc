package ai.sovereign.gpuagent.http;

/** A call to an inference server failed; the message names the method, the URL and what went wrong. */
public final class ServerCallException extends RuntimeException {

    private final int status;

    public ServerCallException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the server answered, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
