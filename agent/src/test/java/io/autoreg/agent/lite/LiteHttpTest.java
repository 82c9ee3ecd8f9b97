package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.autoreg.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When {@link LiteHttp} may send a request a second time. A scripted server (loopback, free port) decides,
 * per request it reads, to answer, to close the connection, or to say nothing; the real registry cannot be
 * told to lose an answer at a given moment.
 */
class LiteHttpTest {

    /** What the server does with the n-th request it reads (0-based), over all connections. */
    private enum Reply {
        OK,
        CLOSE_WITHOUT_ANSWER,
        SILENCE,
        ANSWER_THEN_CLOSE
    }

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;

    private String start(Reply... script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    try {
                        while (true) {
                            Socket s = server.accept();
                            connections.incrementAndGet();
                            open.add(s);
                            Thread t = new Thread(() -> serve(s, script), "scripted-connection");
                            t.setDaemon(true);
                            t.start();
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                },
                "scripted-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1.0/t";
    }

    private void serve(Socket s, Reply[] script) {
        try (s) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            while (true) {
                String requestLine = in.readLine();
                if (requestLine == null) {
                    return;
                }
                int length = 0;
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    if (h.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                in.skip(length);
                int n = requests.size();
                requests.add(requestLine);
                Reply reply = n < script.length ? script[n] : Reply.OK;
                switch (reply) {
                    case CLOSE_WITHOUT_ANSWER:
                        return;
                    case SILENCE:
                        // holds the connection open without a word until the client gives up
                        while (in.read() >= 0) {
                            // drain
                        }
                        return;
                    default:
                        String body = "{\"token\":\"t" + n + "\"}";
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                        + body.length() + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (reply == Reply.ANSWER_THEN_CLOSE) {
                            return;
                        }
                }
            }
        } catch (IOException gone) {
            // client went away
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket s : open) {
            s.close();
        }
    }

    @Test
    void aHeartbeatWhoseAnswerTimedOutIsNotSentAgain() throws IOException {
        LiteHttp http = new LiteHttp(start(Reply.OK, Reply.SILENCE), 1000, 300);
        assertEquals(
                200,
                http.call("POST", "/services/a/heartbeat", "{\"token\":\"t\"}", null)
                        .status());

        assertThrows(
                SocketTimeoutException.class,
                () -> http.call("POST", "/services/a/heartbeat", "{\"token\":\"t0\"}", null));
        assertEquals(2, requests.size(), "the spent token was not presented again: " + requests);
        assertEquals(1, connections.get());
        http.close();
    }

    @Test
    void aPostTheRegistryReadAndThenDroppedIsNotSentAgain() throws IOException {
        LiteHttp http = new LiteHttp(start(Reply.OK, Reply.CLOSE_WITHOUT_ANSWER), 1000, 2000);
        http.call("POST", "/services", "{}", null);

        assertThrows(IOException.class, () -> http.call("POST", "/services/a/heartbeat", "{\"token\":\"t0\"}", null));
        assertEquals(2, requests.size(), requests.toString());
        assertEquals(1, connections.get());
        http.close();
    }

    @Test
    void anIdempotentRequestTheRegistryDroppedIsSentOnceMoreOnAFreshConnection() throws IOException {
        LiteHttp http = new LiteHttp(start(Reply.OK, Reply.CLOSE_WITHOUT_ANSWER, Reply.OK), 1000, 2000);
        http.call("POST", "/services", "{}", null);

        assertEquals(200, http.call("DELETE", "/services/a", null, null).status());
        assertEquals(
                List.of(
                        "POST /v1.0/t/services HTTP/1.1",
                        "DELETE /v1.0/t/services/a HTTP/1.1",
                        "DELETE /v1.0/t/services/a HTTP/1.1"),
                new ArrayList<>(requests));
        assertEquals(2, connections.get());
        http.close();
    }

    @Test
    void aConnectionTheRegistryClosedWhileIdleIsReplacedBeforeTheRequestGoesOut() throws Exception {
        LiteHttp http = new LiteHttp(start(Reply.ANSWER_THEN_CLOSE, Reply.OK), 1000, 2000);
        http.call("POST", "/services", "{}", null);
        // the server's side of the first connection is closed once its thread returns
        Await.until(Duration.ofSeconds(5), () -> open.get(0).isClosed(), "the registry closed the idle connection");

        assertEquals(
                200,
                http.call("POST", "/services/a/heartbeat", "{\"token\":\"t0\"}", null)
                        .status());
        assertEquals(2, requests.size(), "the heartbeat went out once, on a new connection: " + requests);
        assertEquals(2, connections.get());
        http.close();
    }
}
