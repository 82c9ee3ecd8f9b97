package io.autoreg.agent.lite;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * {@link LiteHttp}'s one connection: a non-blocking {@link SocketChannel} with a selector of its own, which gives
 * connect, write and read their timeouts.
 *
 * <p>Why not a {@code java.net.Socket}, or the channel's {@code socket()} adaptor, which keep timeouts themselves: in
 * a cold JVM either costs the host the {@code Socket} class and its stream classes parsed from the runtime image
 * and, on JDK 17, a lambda spun by the adaptor's factory (with the method-handle work that makes the JIT compile
 * {@code java.lang.invoke} methods), ~1 ms of the agent's start-up CPU (docs/benchmarks.md). A server application
 * has the channel and selector classes loaded and warm already: every NIO server runs a selector.
 *
 * <p>Not thread-safe: {@link LiteHttp} serialises its calls.
 */
final class LiteConnection implements Closeable {

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;

    private LiteConnection(SocketChannel channel, Selector selector, SelectionKey key) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /** Connects within {@code connectMillis}; {@link SocketTimeoutException} when it takes longer. */
    static LiteConnection open(String host, int port, int connectMillis) throws IOException {
        SocketChannel channel = SocketChannel.open();
        Selector selector = null;
        try {
            // No TCP_NODELAY: each request is one write and the next one waits for the whole answer, which
            // acknowledges it, so Nagle's algorithm never holds a segment back; setting the option would cost a cold
            // JVM the socket-option classes for nothing.
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, 0);
            LiteConnection connection = new LiteConnection(channel, selector, key);
            if (!channel.connect(new InetSocketAddress(host, port))) {
                connection.await(SelectionKey.OP_CONNECT, deadline(connectMillis), "connect timed out");
                channel.finishConnect(); // throws the refusal, or whatever else the connect met
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            // the JDK's "Connection refused" and our "connect timed out" say nowhere where, and the warnings that
            // report them are read by the host's operators; the address is added here, on the failure path only
            if (e instanceof ConnectException) {
                throw causedBy(new ConnectException(e.getMessage() + ": " + authority(host, port)), e);
            }
            if (e instanceof SocketTimeoutException) {
                throw causedBy(new SocketTimeoutException("connect to " + authority(host, port) + " timed out"), e);
            }
            throw e;
        }
    }

    private static <T extends IOException> T causedBy(T named, Throwable cause) {
        named.initCause(cause);
        return named;
    }

    /** {@code host:port} as in a URL or a Host header: an IPv6 literal (given bare) in brackets. */
    static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Writes all of {@code bytes} within {@code timeoutMillis}, waiting whenever the send buffer is full. */
    void write(byte[] bytes, int timeoutMillis) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long deadline = deadline(timeoutMillis);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "write timed out");
            }
        }
    }

    /**
     * Reads what is there, waiting at most {@code timeoutMillis} for the first byte.
     *
     * @return the bytes read, at least 1, or -1 once the registry has closed the connection
     * @throws SocketTimeoutException when nothing arrived in time (the connection stays usable)
     */
    int read(byte[] into, int offset, int length, int timeoutMillis) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, offset, length);
        long deadline = deadline(timeoutMillis);
        while (true) {
            int n = channel.read(buffer);
            if (n != 0) {
                return n;
            }
            await(SelectionKey.OP_READ, deadline, "read timed out");
        }
    }

    /**
     * Whether the idle connection is still open and silent: a read that waits at most 1 ms, as OkHttp's
     * {@code RealConnection.isHealthy} does. Closed by the peer (-1), or holding bytes nobody asked for (the
     * framing cannot be trusted), it is not.
     */
    boolean isIdleAndOpen() {
        try {
            read(new byte[1], 0, 1, 1);
            return false;
        } catch (SocketTimeoutException silent) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long deadline(int timeoutMillis) {
        return System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    /**
     * Waits until the channel is ready for {@code ops}, by {@code deadline} ({@link System#nanoTime}): one deadline
     * for the whole operation, since a selector may wake early and a ready channel may still give nothing.
     */
    private void await(int ops, long deadline, String timeoutMessage) throws IOException {
        key.interestOps(ops);
        try {
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for the registry");
                }
                long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    throw new SocketTimeoutException(timeoutMessage);
                }
                // rounded up: select(0) would wait for ever, and a 1 ms wait must wait
                if (selector.select((leftNanos + 999_999L) / 1_000_000L) > 0
                        || !selector.selectedKeys().isEmpty()) {
                    selector.selectedKeys().clear();
                    return;
                }
            }
        } finally {
            key.interestOps(0);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            selector.close();
        }
    }
}
