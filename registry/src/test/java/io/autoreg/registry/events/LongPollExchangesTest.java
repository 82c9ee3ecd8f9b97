package io.autoreg.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.http.Call;
import io.undertow.Undertow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long polls parked on real Undertow exchanges: answered on their IO thread with the shared page, the
 * connection serving the next (also pipelined) request afterwards, and a client that closes its connection
 * freed at once rather than when its wait ends.
 */
class LongPollExchangesTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final LongPolls polls = new LongPolls(now::get);
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger renders = new AtomicInteger();
    private Undertow server;
    private int port;

    private final LongPolls.Feed feed = new LongPolls.Feed() {
        @Override
        public boolean hasNewer() {
            return renders.get() < released.get(); // each release is one event: answered by one render
        }

        @Override
        public String page() {
            return "{\"render\":" + renders.incrementAndGet() + "}";
        }
    };

    @BeforeEach
    void start() {
        // The test clock stands still: a wait never ends by itself, only an event or the client leaving ends it.
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setHandler(exchange ->
                        polls.park("t", "k", () -> feed, now.get() + 30_000, new Call(exchange, "t", List.of(), "/")))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        polls.close();
        server.stop();
    }

    private void release() {
        released.incrementAndGet();
        polls.changed("t");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    private static final String POLL = "GET /poll HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /** One HTTP/1.1 response with a Content-Length: the head and the body. */
    private static String[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the connection ended before the response head");
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String[] {text, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }

    @Test
    void aParkedPollIsAnsweredWithThePageAndTheConnectionServesTheNextPoll() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(POLL.getBytes(StandardCharsets.US_ASCII));
            await(() -> polls.parked() == 1, "the poll is parked");
            release();
            String[] first = readResponse(socket.getInputStream());
            assertTrue(first[0].startsWith("HTTP/1.1 200 OK\r\n"), first[0]);
            assertTrue(first[0].contains("Content-Type: application/json; charset=UTF-8\r\n"), first[0]);
            assertEquals("{\"render\":1}", first[1]);

            socket.getOutputStream().write(POLL.getBytes(StandardCharsets.US_ASCII));
            await(() -> polls.parked() == 1, "the next poll on the same connection is parked");
            release();
            assertEquals("{\"render\":2}", readResponse(socket.getInputStream())[1]);
        }
    }

    @Test
    void aPipelinedPollReadWhileParkedIsServedAfterTheAnswer() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(POLL.getBytes(StandardCharsets.US_ASCII));
            await(() -> polls.parked() == 1, "the poll is parked");
            // Usually read by the departure watch while the first is parked and handed back to Undertow; if the
            // answer comes first, Undertow reads it itself. Either way it must be served next.
            socket.getOutputStream().write(POLL.getBytes(StandardCharsets.US_ASCII));
            release();
            assertEquals("{\"render\":1}", readResponse(socket.getInputStream())[1]);
            await(() -> polls.parked() == 1, "the pipelined poll is parked after the first answer");
            release();
            assertEquals("{\"render\":2}", readResponse(socket.getInputStream())[1]);
        }
    }

    @Test
    void aClientThatClosesItsConnectionIsFreedAtOnceAndNothingIsRendered() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(POLL.getBytes(StandardCharsets.US_ASCII));
                await(() -> polls.parked() == 1, "the poll is parked");
            }
            // The wait is 30 s of a clock that stands still: only the close can free the slot.
            await(() -> polls.parked() == 0, "the slot of a client that closed its connection is freed at once");
        }
        release();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(POLL.getBytes(StandardCharsets.US_ASCII));
            assertEquals(
                    "{\"render\":1}",
                    readResponse(socket.getInputStream())[1],
                    "the first page rendered is this client's: none for the clients that left");
        }
    }
}
