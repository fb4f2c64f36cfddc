package ai.sovereign.router.forward;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Reads a failed exchange with a server: whether the server is unreachable, and what to tell about it. */
final class ExchangeFailures {

    private ExchangeFailures() {}

    /** The cause inside the wrappers futures add. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** No connection could be made: the server is marked unreachable, not just failed. */
    static boolean unreachable(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof ConnectException
                || cause instanceof HttpConnectTimeoutException
                || cause.getCause() instanceof ConnectException;
    }

    /** A short description for the breaker, analytics and the client's error. */
    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (unreachable(cause)) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out (retry.firstByteTimeoutMs)";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
