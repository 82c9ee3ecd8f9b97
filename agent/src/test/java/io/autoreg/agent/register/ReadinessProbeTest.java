package io.autoreg.agent.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.listen.Listener;
import io.autoreg.core.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadinessProbeTest {

    /** The agent's queue, with a thread that runs its tasks as the agent's thread does. */
    private static EventQueue agentThread() {
        EventQueue queue = new EventQueue(16);
        Thread loop = new Thread(
                () -> {
                    try {
                        while (true) {
                            ((Runnable) queue.take()).run();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "test-agent-thread");
        loop.setDaemon(true);
        loop.start();
        return queue;
    }

    /** A loopback server answering every request with the given status line, on its own thread. */
    private static ServerSocket answering(String statusLine) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket s = server.accept()) {
                            s.getInputStream().read(new byte[512]);
                            OutputStream out = s.getOutputStream();
                            out.write(
                                    (statusLine + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "probe-target");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static Listener listenerOf(ServerSocket server) {
        return new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), false);
    }

    /** The kubelet's rule: 200 to 399 is an application that answers (a redirect to its login page included). */
    @Test
    void httpPassesOn2xxAnd3xxAndTcpOnAnyConnect() throws IOException {
        ReadinessProbe http = new ReadinessProbe(AgentSettings.Readiness.HTTP, "/health", new EventQueue(1));
        ReadinessProbe tcp = new ReadinessProbe(AgentSettings.Readiness.TCP, "/", new EventQueue(1));
        try (ServerSocket ok = answering("HTTP/1.1 204 No Content");
                ServerSocket login = answering("HTTP/1.1 302 Found\r\nLocation: /login");
                ServerSocket down = answering("HTTP/1.1 503 Service Unavailable");
                ServerSocket missing = answering("HTTP/1.1 404 Not Found")) {
            assertTrue(http.passes(listenerOf(ok)));
            assertTrue(http.passes(listenerOf(login)), "a redirect: the application answers");
            assertEquals("HTTP 503", http.failure(listenerOf(down)));
            assertEquals("HTTP 404", http.failure(listenerOf(missing)));
            assertTrue(tcp.passes(listenerOf(down)));
        }
        ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closed.close();
        assertFalse(tcp.passes(listenerOf(closed)));
        assertTrue(http.failure(listenerOf(closed)).startsWith("ConnectException"), http.failure(listenerOf(closed)));
    }

    /** A probe that keeps failing (a wrong path) is said once per way of failing after the bound, not never. */
    @Test
    void aProbeStillFailingAfterTheBoundIsSaidOnceWithTheSettings() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.Level level = Log.level();
        Log.sink(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (ServerSocket missing = answering("HTTP/1.1 404 Not Found")) {
            ReadinessProbe http =
                    new ReadinessProbe(AgentSettings.Readiness.HTTP, "/helth", agentThread(), Duration.ofMillis(300));
            CountDownLatch asked = new CountDownLatch(7);
            http.whenReady(
                    listenerOf(missing),
                    () -> {
                        asked.countDown();
                        return asked.getCount() > 0;
                    },
                    () -> {});
            assertTrue(asked.await(20, TimeUnit.SECONDS), "kept probing while wanted");
            List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(
                    lines.get(0)
                            .endsWith(" warn port " + missing.getLocalPort() + " is not registered yet: its readiness"
                                    + " probe (GET /helth) still fails, HTTP 404; registered once it passes"
                                    + " (autoreg.agent.readiness, autoreg.agent.readiness-path)"),
                    lines.get(0));
        } finally {
            Log.sink(System.err);
            Log.level(level);
        }
    }

    @Test
    void registersOnlyOnceTheProbePassesAndNotAtAllWhenNoLongerWanted() throws Exception {
        ReadinessProbe http = new ReadinessProbe(AgentSettings.Readiness.HTTP, "/", agentThread());
        try (ServerSocket ok = answering("HTTP/1.0 200 OK")) {
            CountDownLatch ready = new CountDownLatch(1);
            http.whenReady(listenerOf(ok), () -> true, ready::countDown);
            assertTrue(ready.await(5, TimeUnit.SECONDS), "ready");
        }
        try (ServerSocket down = answering("HTTP/1.0 500 Oops")) {
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch asked = new CountDownLatch(3);
            http.whenReady(
                    listenerOf(down),
                    () -> {
                        asked.countDown();
                        return asked.getCount() > 0;
                    },
                    ready::countDown);
            assertTrue(asked.await(5, TimeUnit.SECONDS), "kept probing while wanted");
            assertFalse(ready.await(200, TimeUnit.MILLISECONDS), "never ready");
        }
    }
}
