package ai.sovereign.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A load generator's HTTP/1.1 client for one fixed request: plain blocking sockets, keep-alive connections pooled, the
 * request's bytes built once. The calling thread writes the request and reads the answer itself, so a request costs
 * the generator one socket write and the reads of its answer — no selector thread, no executor hand-off, no per-request
 * objects beyond the answer's bytes (the JDK's HttpClient, with its selector and worker threads, cost ~220 µs of CPU per
 * request on the same machine, on the cores the services under test share). For the fixed-rate phases, where the
 * generator's own CPU and thread wake-ups would otherwise be part of every path's tail. Answers are read by
 * Content-Length or chunked transfer coding; a connection the server closes (or marks {@code Connection: close}) is
 * replaced.
 */
public final class SocketHttpClient implements AutoCloseable {

    /** An answer: status code and body. */
    public record Answer(int status, byte[] body) {}

    private final InetSocketAddress address;
    private final byte[] request;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    /** POSTs of {@code body} (JSON) to {@code uri}, with {@code headers} added. */
    public SocketHttpClient(URI uri, byte[] body, Map<String, String> headers) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        StringBuilder head = new StringBuilder("POST ")
                .append(uri.getRawPath())
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(uri.getHost())
                .append(':')
                .append(uri.getPort())
                .append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ")
                .append(body.length)
                .append("\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
    }

    /**
     * Sends the request on an idle connection (a new one when none is idle) and reads the whole answer. A pooled
     * connection the server closed while it was idle (its idle timeout: nothing of an answer came back) is replaced
     * by a new one once, as HTTP clients do; a new connection's failure is the request's.
     */
    public Answer send() throws IOException {
        Connection pooled = idle.pollFirst();
        if (pooled != null) {
            try {
                return exchange(pooled);
            } catch (StaleConnectionException e) {
                // closed by the server while idle: the request was not answered, send it on a new connection
            }
        }
        return exchange(new Connection(address));
    }

    private Answer exchange(Connection connection) throws IOException {
        try {
            try {
                connection.out.write(request);
                connection.out.flush();
            } catch (java.net.SocketException e) {
                throw new StaleConnectionException("connection reset before the request was sent: " + e.getMessage());
            }
            Answer answer = connection.readAnswer();
            if (connection.keepAlive) {
                idle.offerFirst(connection);
            } else {
                connection.close();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The connection ended before the first byte of an answer. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        Connection connection;
        while ((connection = idle.poll()) != null) {
            connection.close();
        }
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean keepAlive = true;

        Connection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        Answer readAnswer() throws IOException {
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketException e) {
                throw new StaleConnectionException("connection reset before an answer: " + e.getMessage());
            }
            if (first < 0) {
                throw new StaleConnectionException("connection closed before an answer");
            }
            String status = (char) first + line();
            if (!status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            keepAlive = status.startsWith("HTTP/1.1");
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    keepAlive = !value.equalsIgnoreCase("close");
                }
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(chunkSize(line()), 16);
                        size > 0;
                        size = Integer.parseInt(chunkSize(line()), 16)) {
                    chunks.writeBytes(exactly(size));
                    line(); // the CRLF after the chunk
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
                body = chunks.toByteArray();
            } else if (length >= 0) {
                body = exactly((int) length);
            } else {
                body = in.readAllBytes(); // delimited by the connection's end
                keepAlive = false;
            }
            return new Answer(code, body);
        }

        private static String chunkSize(String line) {
            int extension = line.indexOf(';');
            return (extension < 0 ? line : line.substring(0, extension)).trim();
        }

        private byte[] exactly(int size) throws IOException {
            byte[] bytes = in.readNBytes(size);
            if (bytes.length < size) {
                throw new IOException("connection closed after " + bytes.length + " of " + size + " bytes");
            }
            return bytes;
        }

        /** One header line without its CRLF. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
