package io.autoreg.registry.services;

import io.autoreg.registry.http.Replies;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Streams a list page with each service's current {@code last_seen} spliced in at its cut, through one
 * pooled buffer of the connection at a time: no per-request copy of the page on the heap (at thousands of
 * 110 KiB answers a second that allocation alone drove the old generation and the RSS up), and a slow reader
 * holds one buffer, not the whole page.
 */
final class PageResponse implements ChannelListener<StreamSinkChannel> {
    /** Room for the longest value, "-9223372036854775808" (20 bytes); "null" is 4. */
    private static final int MAX_VALUE_BYTES = 20;

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private final HttpServerExchange exchange;
    private final ListCache.Page page;
    /** The values read once, so the Content-Length and the bytes written agree while heartbeats go on. */
    private final long[] lastSeen;

    private StreamSinkChannel channel;
    private PooledByteBuffer pooled;
    /** Next byte of the skeleton to copy, and the next cut whose value is still to be written. */
    private int position;

    private int cut;

    private PageResponse(HttpServerExchange exchange, ListCache.Page page) {
        this.exchange = exchange;
        this.page = page;
        Service[] services = page.services();
        this.lastSeen = new long[services.length];
        for (int i = 0; i < services.length; i++) {
            lastSeen[i] = services[i].lastSeen();
        }
    }

    /** Sends {@code page} as a 200 with the JSON content type; the exchange ends when the page is written. */
    static void send(HttpServerExchange exchange, ListCache.Page page) {
        new PageResponse(exchange, page).start();
    }

    private void start() {
        long length = page.skeleton().length;
        for (long value : lastSeen) {
            length += valueLength(value);
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Replies.JSON);
        exchange.setResponseContentLength(length);
        channel = exchange.getResponseChannel();
        pooled = exchange.getConnection().getByteBufferPool().allocate();
        // If the connection dies mid-page, the exchange still completes: give the buffer back then.
        exchange.addExchangeCompleteListener((done, next) -> {
            release();
            next.proceed();
        });
        pooled.getBuffer().clear().flip(); // nothing pending yet
        write();
    }

    @Override
    public void handleEvent(StreamSinkChannel ready) {
        ready.suspendWrites();
        write();
    }

    /** Fills and writes until the page is out or the socket is full (then resumes when it is writable). */
    private void write() {
        ByteBuffer buffer = pooled.getBuffer();
        try {
            while (true) {
                if (!buffer.hasRemaining()) {
                    buffer.clear();
                    fill(buffer);
                    buffer.flip();
                    if (!buffer.hasRemaining()) {
                        finish();
                        return;
                    }
                }
                if (channel.write(buffer) == 0) {
                    channel.getWriteSetter().set(this);
                    channel.resumeWrites();
                    return;
                }
            }
        } catch (IOException e) {
            release();
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** Copies skeleton bytes and values into {@code buffer} until it is full or the page is done. */
    private void fill(ByteBuffer buffer) {
        byte[] skeleton = page.skeleton();
        int[] cuts = page.cuts();
        while (buffer.hasRemaining()) {
            int end = cut < cuts.length ? cuts[cut] : skeleton.length;
            if (position < end) {
                int n = Math.min(end - position, buffer.remaining());
                buffer.put(skeleton, position, n);
                position += n;
            } else if (cut < cuts.length) {
                if (buffer.remaining() < MAX_VALUE_BYTES) {
                    return;
                }
                putValue(buffer, lastSeen[cut]);
                cut++;
            } else {
                return;
            }
        }
    }

    private void finish() {
        release();
        exchange.endExchange();
    }

    private void release() {
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }

    static int valueLength(long value) {
        if (value < 0) {
            return NULL.length;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes {@code value} in decimal (or {@code null} for a negative "never seen"), without a String. */
    static void putValue(ByteBuffer buffer, long value) {
        if (value < 0) {
            buffer.put(NULL);
            return;
        }
        int digits = valueLength(value);
        int at = buffer.position();
        for (int i = digits - 1; i >= 0; i--) {
            buffer.put(at + i, (byte) ('0' + value % 10));
            value /= 10;
        }
        buffer.position(at + digits);
    }
}
