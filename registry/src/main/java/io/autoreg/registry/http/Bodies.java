package io.autoreg.registry.http;

import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.xnio.channels.StreamSourceChannel;

/** Reads a request body without blocking and never more than {@link #MAX_BODY_BYTES}. */
public final class Bodies {
    public static final int MAX_BODY_BYTES = 5000;
    private static final byte[] EMPTY = new byte[0];

    private Bodies() {}

    /** Calls {@code then} with the body bytes (empty when there is none), or {@code failed} with a fault. */
    public static void read(
            HttpServerExchange exchange,
            BiConsumer<HttpServerExchange, byte[]> then,
            BiConsumer<HttpServerExchange, ApiError> failed) {
        refuseUnreadableFraming(exchange);
        long length = exchange.getRequestContentLength();
        boolean chunked = exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        if (length > MAX_BODY_BYTES) {
            failed.accept(exchange, ApiError.tooLarge());
            return;
        }
        if (length <= 0 && !chunked) {
            then.accept(exchange, EMPTY);
            return;
        }
        checkContentType(exchange);
        String encoding = exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw ApiError.badRequest(
                    "Unsupported content encoding", "Content-Encoding " + encoding + " is not supported");
        }
        if (!chunked) {
            readFixed(exchange, (int) length, then, failed);
            return;
        }
        // Chunked: count as it arrives and stop reading at the limit instead of buffering the rest.
        BoundedBuffer buffer = new BoundedBuffer();
        exchange.getRequestReceiver()
                .receivePartialBytes(
                        (ex, chunk, last) -> {
                            if (buffer.failed) {
                                return;
                            }
                            if (!buffer.add(chunk)) {
                                buffer.failed = true; // later chunks are read and dropped
                                failed.accept(ex, ApiError.tooLarge());
                            } else if (last) {
                                then.accept(ex, buffer.bytes());
                            }
                        },
                        (ex, e) -> failed.accept(ex, translate(e)));
    }

    /**
     * Refuses, before anything else runs, a request whose body this server will not read: a
     * Content-Length too big for a long, a Transfer-Encoding other than exactly {@code chunked}, or any
     * Transfer-Encoding on a method that has no body here (GET, HEAD, DELETE, OPTIONS, …). Its body's
     * end is then unknown to us, and the
     * bytes after it — possibly a second request smuggled behind the first — would be read as the next
     * request or hang the connection. So: 400 with the fault body, then close (RFC 9112 §6.1, §6.3).
     */
    public static void refuseUnreadableFraming(HttpServerExchange exchange) {
        String contentLength = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        if (contentLength != null) {
            try {
                Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                // Undertow's parser lets a length past 2^63 through (its own check wraps at 2^64), and then
                // cannot tell it: the body's end is unknown, so the same as above, 400 then close.
                exchange.setPersistent(false);
                throw ApiError.badRequest(
                        "Invalid Content-Length", "Content-Length " + contentLength + " is not a number below 2^63");
            }
        }
        if (!exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
            return;
        }
        boolean hasBody = exchange.getRequestMethod().equals(io.undertow.util.Methods.POST)
                || exchange.getRequestMethod().equals(io.undertow.util.Methods.PUT);
        if (hasBody && isChunkedOnly(exchange)) {
            return;
        }
        exchange.setPersistent(false);
        throw ApiError.badRequest(
                "Unsupported transfer encoding",
                hasBody
                        ? "Transfer-Encoding must be chunked, was "
                                + exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING)
                        : exchange.getRequestMethod() + " takes no body, and Transfer-Encoding announces one");
    }

    /**
     * A body of known length (at most {@link #MAX_BODY_BYTES}) read straight into its own array: a heartbeat's
     * body is almost always in the connection's buffer already, so the route runs at once on the IO thread
     * (Undertow's receiveFullBytes would copy it byte by byte through a pooled buffer and a stream). A body
     * still on the way is awaited with a read listener, never by blocking.
     */
    private static void readFixed(
            HttpServerExchange exchange,
            int length,
            BiConsumer<HttpServerExchange, byte[]> then,
            BiConsumer<HttpServerExchange, ApiError> failed) {
        StreamSourceChannel channel = exchange.getRequestChannel();
        if (channel == null) { // already taken: a handler bug, answered as an unreadable body rather than a 500
            failed.accept(exchange, translate(new IOException("request channel already in use")));
            return;
        }
        byte[] body = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(body);
        try {
            if (fill(channel, buffer)) {
                reachEnd(channel, buffer);
                then.accept(exchange, body);
                return;
            }
        } catch (IOException e) {
            failed.accept(exchange, translate(e));
            return;
        }
        channel.getReadSetter().set(ready -> {
            try {
                if (fill(ready, buffer)) {
                    reachEnd(ready, buffer);
                    stopReading(ready);
                    Connectors.executeRootHandler(x -> then.accept(x, body), exchange);
                }
            } catch (IOException e) {
                stopReading(ready);
                Connectors.executeRootHandler(x -> failed.accept(x, translate(e)), exchange);
            }
        });
        channel.resumeReads();
    }

    /** Reads what is available; true once {@code buffer} is full. A body shorter than its Content-Length fails. */
    private static boolean fill(StreamSourceChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException("the request body ended before its Content-Length");
            }
            if (n == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * One read past the body's end (the buffer is full, so nothing is taken): the request channel then
     * reports its end and Undertow marks the request complete, as its own receivers do by reading to -1,
     * so ending the exchange does not drain the channel through a new buffer on every heartbeat
     * (docs/benchmarks.md, "Heartbeat tail", issue 16, part 2).
     */
    private static void reachEnd(StreamSourceChannel channel, ByteBuffer full) throws IOException {
        channel.read(full);
    }

    private static void stopReading(StreamSourceChannel channel) {
        channel.suspendReads();
        channel.getReadSetter().set(null);
    }

    private static final class BoundedBuffer {
        private final byte[] data = new byte[MAX_BODY_BYTES];
        private int length;
        boolean failed;

        boolean add(byte[] chunk) {
            if (length + chunk.length > MAX_BODY_BYTES) {
                return false;
            }
            System.arraycopy(chunk, 0, data, length, chunk.length);
            length += chunk.length;
            return true;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(data, length);
        }
    }

    private static ApiError translate(IOException e) {
        if (e instanceof RequestTooBigException
                || String.valueOf(e.getMessage()).contains("larger than")) {
            return ApiError.tooLarge();
        }
        return ApiError.badRequest("Invalid request body", "The request body could not be read");
    }

    /** Exactly one Transfer-Encoding, {@code chunked}: the only coding this server reads. */
    private static boolean isChunkedOnly(HttpServerExchange exchange) {
        var values = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
        return values.size() == 1 && values.getFirst().trim().equalsIgnoreCase("chunked");
    }

    private static void checkContentType(HttpServerExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null) {
            throw ApiError.badRequest("Unsupported content type", "Content-Type must be application/json");
        }
        int semicolon = type.indexOf(';');
        String mime = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (!mime.equalsIgnoreCase("application/json")) {
            throw ApiError.badRequest("Unsupported content type", "Content-Type must be application/json");
        }
    }
}
