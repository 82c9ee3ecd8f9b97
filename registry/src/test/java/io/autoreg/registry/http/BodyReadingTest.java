package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.support.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bodies of known length are read straight from the request channel on the IO thread; a body that arrives in
 * pieces must still be read whole (by a read listener, not by blocking), and one that ends before its
 * Content-Length is a 4xx, never a hang or a 5xx.
 */
class BodyReadingTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @Test
    void aHeartbeatBodyArrivingInTwoPiecesIsReadWhole() throws Exception {
        var created = registry.http().post("/v1.0/body/services", "{\"id\":\"split-1\",\"heartbeat_timeout\":60}");
        String token = created.json().get("token").asText();
        String body = "{\"token\":\"" + token + "\"}";
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST /v1.0/body/services/split-1/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10))
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The server has seen the headers and part of the body; it must wait for the rest without blocking others.
            assertEquals(200, registry.http().get("/healthz").status());
            out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("{\"token\":\"00000001-"), answer);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsABadRequestAndTheServerKeepsServing() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1.0/body/services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 80\r\n\r\n{\"id\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4"), answer);
        }
        assertEquals(200, registry.http().get("/healthz").status());
        assertEquals(
                201,
                registry.http()
                        .post("/v1.0/body/services", "{\"id\":\"after-1\",\"heartbeat_timeout\":60}")
                        .status());
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", registry.server().port()));
        return socket;
    }

    /** Headers and a Content-Length body of one answer (or what came before the connection closed). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int length = -1;
        int c;
        while ((c = in.read()) >= 0) {
            seen.write(c);
            String text = seen.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                break;
            }
        }
        if (length > 0) {
            seen.write(in.readNBytes(length));
        }
        return seen.toString(StandardCharsets.UTF_8);
    }
}
