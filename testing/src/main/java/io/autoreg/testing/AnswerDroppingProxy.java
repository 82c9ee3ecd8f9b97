package io.autoreg.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A loopback TCP proxy in front of the registry that can lose the answer to one request: the request reaches the
 * registry, which applies it, and the client's connection is cut as the answer comes back — what a restarting load
 * balancer, an expired NAT entry or a client's own timeout does to one request in flight. Everything else passes
 * through untouched. One thread per direction per connection; all of them end with {@link #close()}.
 */
public final class AnswerDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final AtomicReference<Predicate<String>> loseTheAnswerTo = new AtomicReference<>();
    private final AtomicInteger lost = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A proxy to the server of {@code baseUrl} ({@code http://host:port}), listening on a free loopback port. */
    public AnswerDroppingProxy(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        upstream = new InetSocketAddress(uri.getHost(), uri.getPort());
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("proxy-accept", this::accept);
    }

    /** The proxy's base URL ({@code http://127.0.0.1:port}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** The next request whose request line (e.g. {@code POST /v1.0/t/services/a/heartbeat HTTP/1.1}) matches. */
    public void loseTheAnswerToNext(Predicate<String> requestLine) {
        loseTheAnswerTo.set(requestLine);
    }

    /** The request lines of the requests passed on so far, oldest first. */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** How many answers were lost so far. */
    public int answersLost() {
        return lost.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            Socket server;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                server = new Socket(upstream.getAddress(), upstream.getPort());
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            Connection connection = new Connection(client, server);
            start("proxy-requests", connection::requests);
            start("proxy-answers", connection::answers);
        }
    }

    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Set before the request is passed on, so its answer cannot get through first. */
        private volatile boolean loseNextAnswer;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void requests() {
            pump(client, server, true);
        }

        void answers() {
            pump(server, client, false);
        }

        private void pump(Socket from, Socket to, boolean requests) {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (requests) {
                        watch(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    } else if (loseNextAnswer) {
                        lost.incrementAndGet();
                        break; // the answer is not passed on: both ends are closed below
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the other is closed below
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }

        private void watch(String chunk) {
            int end = chunk.indexOf("\r\n");
            String requestLine = end < 0 ? chunk : chunk.substring(0, end);
            if (!requestLine.endsWith(" HTTP/1.1")) {
                return; // the rest of a request's body, not the start of a request
            }
            requestLines.add(requestLine);
            Predicate<String> wanted = loseTheAnswerTo.get();
            if (wanted == null) {
                return;
            }
            if (wanted.test(requestLine) && loseTheAnswerTo.compareAndSet(wanted, null)) {
                loseNextAnswer = true;
            }
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.remove(socket);
    }
}
