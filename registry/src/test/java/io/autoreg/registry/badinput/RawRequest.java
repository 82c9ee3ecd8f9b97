package io.autoreg.registry.badinput;

import io.autoreg.registry.conformance.Answer;
import io.autoreg.registry.conformance.RegistryHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request written byte for byte on a fresh socket, for what the JDK client refuses to send: invalid
 * percent escapes, raw control bytes in the target, a Content-Length the body never reaches, a broken
 * request line. Like every other bad request it must be answered with a 4xx and the fault body, also
 * when Undertow refuses it before any handler runs; only where Undertow itself closes the connection
 * before anything can answer ({@link #closedByUndertow}) is a hang-up accepted.
 */
record RawRequest(String name, byte[] head, byte[] body, boolean mayHangUp) implements BadRequest {

    static RawRequest of(String name, String method, String target, Map<String, String> headers, byte[] body) {
        return build(name, method, target, headers, body, false);
    }

    /** Exactly these bytes, request line and headers included (a Host header only if they carry one). */
    static RawRequest verbatim(String name, String request) {
        return new RawRequest(name, request.getBytes(StandardCharsets.ISO_8859_1), null, false);
    }

    /**
     * A request Undertow drops by closing the connection inside its own decoding, before any code of
     * ours can answer (a broken chunk: {@code ChunkedStreamSourceConduit} closes on a parse error).
     */
    static RawRequest closedByUndertow(
            String name, String method, String target, Map<String, String> headers, byte[] body) {
        return build(name, method, target, headers, body, true);
    }

    private static RawRequest build(
            String name, String method, String target, Map<String, String> headers, byte[] body, boolean mayHangUp) {
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null && !headers.containsKey("Content-Length") && !headers.containsKey("Transfer-Encoding")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return new RawRequest(name, head.toString().getBytes(StandardCharsets.ISO_8859_1), body, mayHangUp);
    }

    @Override
    public Answer send(RegistryHttp http) {
        try (Socket socket = new Socket(http.root().getHost(), http.root().getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            socket.shutdownOutput();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }

    private Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine.isEmpty()) {
            if (mayHangUp) {
                return new Answer(name, CLOSED, Map.of(), "");
            }
            throw new AssertionError(name + ": the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    List.of(header.substring(colon + 1).trim()));
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        List<String> length = headers.get("content-length");
        if (length != null) {
            content.write(in.readNBytes(Integer.parseInt(length.get(0))));
        } else if (headers.containsKey("transfer-encoding")) {
            for (int size = Integer.parseInt(line(in).trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                content.write(in.readNBytes(size));
                line(in);
            }
        }
        return new Answer(name, status, headers, content.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** The pseudo status of a connection closed without an answer. */
    static final int CLOSED = -1;

    @Override
    public String toString() {
        return name;
    }
}
