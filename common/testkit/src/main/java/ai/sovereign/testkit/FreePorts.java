package ai.sovereign.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on the loopback interface for servers that must be told their port up front. */
public final class FreePorts {

    private FreePorts() {}

    /** A port that was free a moment ago; 0 is never returned. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** {@code requested} itself, or a free port when it is 0. */
    public static int orNext(int requested) {
        return requested == 0 ? next() : requested;
    }
}
