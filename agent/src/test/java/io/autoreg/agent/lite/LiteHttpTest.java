package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.testing.Await;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
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
        ANSWER_THEN_CLOSE,
        /** A chunked answer (with a chunk extension and a trailer), written a few bytes per write. */
        CHUNKED_TRICKLE,
        /** A fixed-length answer with a long header line, written a few bytes per write. */
        FIXED_TRICKLE,
        /** The answer, then bytes nobody asked for. */
        ANSWER_AND_GARBAGE
    }

    /** The body every scripted answer carries for request n. */
    private static String body(int n) {
        return "{\"token\":\"t" + n + "\",\"note\":\"caf\u00e9 \u2014 " + "x".repeat(3000) + "\"}";
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
                    case CHUNKED_TRICKLE:
                        byte[] utf8 = body(n).getBytes(StandardCharsets.UTF_8);
                        int half = utf8.length / 2;
                        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
                        chunked.writeBytes(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        + Integer.toHexString(half) + ";ext=1\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        chunked.write(utf8, 0, half);
                        chunked.writeBytes(("\r\n" + Integer.toHexString(utf8.length - half) + "\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        chunked.write(utf8, half, utf8.length - half);
                        chunked.writeBytes("\r\n0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        trickle(out, chunked.toByteArray());
                        break;
                    case FIXED_TRICKLE:
                        byte[] fixed = body(n).getBytes(StandardCharsets.UTF_8);
                        trickle(
                                out,
                                ("HTTP/1.1 200 OK\r\nX-Long: " + "y".repeat(6000) + "\r\nContent-Length: "
                                                + fixed.length + "\r\n\r\n")
                                        .getBytes(StandardCharsets.ISO_8859_1));
                        trickle(out, fixed);
                        break;
                    default:
                        String body = body(n);
                        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                        + bytes.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.write(bytes);
                        if (reply == Reply.ANSWER_AND_GARBAGE) {
                            out.write("garbage".getBytes(StandardCharsets.ISO_8859_1));
                        }
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

    /** Writes in pieces of 1 to 7 bytes, each flushed, so the client's reads end anywhere in a line or a chunk. */
    private static void trickle(OutputStream out, byte[] bytes) throws IOException {
        for (int at = 0, piece = 1; at < bytes.length; at += piece, piece = piece % 7 + 1) {
            out.write(bytes, at, Math.min(piece, bytes.length - at));
            out.flush();
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

    @Test
    void answersSplitAnywhereAreReadWhole() throws IOException {
        LiteHttp http = new LiteHttp(start(Reply.CHUNKED_TRICKLE, Reply.FIXED_TRICKLE, Reply.OK), 1000, 5000);
        for (int n = 0; n < 3; n++) {
            LiteHttp.Answer answer = http.call("GET", "/services/a", null, null);
            assertEquals(200, answer.status());
            assertEquals(body(n), answer.body(), "answer " + n);
        }
        assertEquals(1, connections.get(), "all three on one kept-alive connection");
        http.close();
    }

    /** Nothing listens: the refusal comes back at once, not after the connect timeout. */
    @Test
    void aRefusedConnectFailsAtOnce() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        LiteHttp http = new LiteHttp("http://127.0.0.1:" + closedPort + "/v1.0/t", 60_000, 60_000);
        long started = System.nanoTime();
        java.net.ConnectException refused =
                assertThrows(java.net.ConnectException.class, () -> http.call("GET", "/services", null, null));
        assertTrue(
                refused.getMessage().endsWith(": 127.0.0.1:" + closedPort),
                "the warning that reports it says where: " + refused.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0);
        http.close();
    }

    /** A thread interrupted while it waits for an answer gets an exception, not a spin until the read timeout. */
    @Test
    void anInterruptedWaitEndsTheCall() throws Exception {
        LiteHttp http = new LiteHttp(start(Reply.SILENCE), 1000, 60_000);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread caller = new Thread(() -> {
            try {
                http.call("GET", "/services/a", null, null);
            } catch (IOException e) {
                thrown.add(e);
            }
        });
        caller.start();
        Await.until(Duration.ofSeconds(10), () -> requests.size() == 1, "the request reached the server");
        caller.interrupt();
        caller.join(Duration.ofSeconds(10).toMillis());
        assertEquals(1, thrown.size(), "the call ended with an exception");
        assertTrue(thrown.get(0) instanceof java.io.InterruptedIOException, thrown.toString());
        http.close();
    }

    @Test
    void bytesAfterAnAnswerRetireTheConnection() throws IOException {
        LiteHttp http = new LiteHttp(start(Reply.ANSWER_AND_GARBAGE, Reply.OK), 1000, 2000);
        assertEquals(body(0), http.call("GET", "/services/a", null, null).body());
        assertEquals(body(1), http.call("GET", "/services/a", null, null).body());
        assertEquals(2, connections.get(), "the second request went out on a fresh connection");
        http.close();
    }
}
