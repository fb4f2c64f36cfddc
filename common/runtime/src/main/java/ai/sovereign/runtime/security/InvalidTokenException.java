package ai.sovereign.runtime.security;

/** A token that must not be accepted; the message says why without echoing the token. */
public final class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String message) {
        super(message);
    }
}
