package ai.sovereign.backup.target;

import java.io.IOException;

/** A path would have left the backup root (a {@code ..}, an absolute path, a symbolic link); the API answers 400. */
public final class PathEscapeException extends IOException {

    public PathEscapeException(String message) {
        super(message);
    }
}
