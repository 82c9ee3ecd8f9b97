package io.autoreg.registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection written byte for byte, for what the JDK client will not send (a forged
 * {@code Host}, {@code Transfer-Encoding} on a GET, two requests back to back) or where the source
 * address matters (any 127.x.y.z works on Linux loopback). Reads are bounded by a 10 s timeout.
 */
public final class RawHttp implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Socket socket;
    private final InputStream in;

    /** One answer: status, headers by lower-case name, body (none for HEAD). */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }
    }

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    public static RawHttp connect(int port) {
        return connect(null, port);
    }

    /** A connection to 127.0.0.1:{@code port} from {@code sourceAddress} (null: any). */
    public static RawHttp connect(String sourceAddress, int port) {
        Socket socket = new Socket();
        try {
            if (sourceAddress != null) {
                socket.bind(new InetSocketAddress(sourceAddress, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            return new RawHttp(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request} verbatim (ISO-8859-1). */
    public RawHttp send(String request) {
        try {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one request and reads its answer. */
    public Response exchange(String request) {
        return send(request).read(request.startsWith("HEAD "));
    }

    /** Reads an answer's status line and headers only: its body goes on (an event stream) or is read elsewhere. */
    public Response readStatusAndHeaders() {
        return read(true);
    }

    /** Reads one answer; {@code head}: the answer to a HEAD, which has no body whatever its headers say. */
    public Response read(boolean head) {
        try {
            String statusLine = line();
            if (statusLine == null || statusLine.isEmpty()) {
                throw new AssertionError("the connection ended without an answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            String body = "";
            String length = headers.get("content-length");
            if (!head && length != null) {
                body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
            } else if (!head && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().trim(), 16);
                        size > 0;
                        size = Integer.parseInt(line().trim(), 16)) {
                    content.write(in.readNBytes(size));
                    line();
                }
                line();
                body = content.toString(StandardCharsets.UTF_8);
            }
            return new Response(status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True if the server closed the connection (EOF or reset) before {@code 10 s} passed without a
     * byte; false if it sent more bytes. A connection still open after the timeout fails the test.
     */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open (no EOF within 10 s)", e);
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c = in.read();
        if (c == -1) {
            return null;
        }
        for (; c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
