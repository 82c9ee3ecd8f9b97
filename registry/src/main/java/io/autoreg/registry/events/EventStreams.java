package io.autoreg.registry.events;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * The events feed as server-sent events (docs/api.md §4, "Streaming"): {@code GET /v1.0/{tenant}/events} with
 * {@code Accept: text/event-stream}. One connection stays open; each event is written as {@code id: <event id>}
 * and {@code data: <event JSON>}, so a client resumes with {@code Last-Event-ID} after a reconnect. Unlike a
 * long poll there is no re-poll after every event: 10,000 watchers of one event cost 10,000 writes of one
 * rendered frame, not 10,000 new requests (docs/benchmarks.md, "Watchers").
 *
 * <p>One thread, {@code autoreg-event-streams}, moves every stream's cursor: it renders each new event once,
 * queues the same bytes on every stream that wants it, and leaves the writing to each stream's IO thread. A
 * comment line every {@code keepAlive} keeps proxies from closing an idle stream and finds clients that left.
 */
public final class EventStreams implements AutoCloseable {
    /** A stream further behind than this many bytes is closed: its client reconnects with Last-Event-ID. */
    private static final int MAX_QUEUED_BYTES = 4 << 20;

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final EventLog log;
    private final long keepAliveNanos;
    private final Map<String, Set<Stream>> byTenant = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public EventStreams(EventLog log, long keepAliveMillis) {
        this.log = log;
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
        thread = new Thread(this::loop, "autoreg-event-streams");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts the stream of {@code tenant}'s events after {@code cursor} (exclusive; null: only events from now
     * on), of {@code type} only unless null. Called on the exchange's IO thread.
     */
    public void open(HttpServerExchange exchange, String tenant, String cursor, String type) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(new io.undertow.util.HttpString("X-Accel-Buffering"), "no");
        String start = cursor;
        if (start == null) {
            var events = log.events(tenant);
            start = events.isEmpty() ? EventIds.floor(0) : events.lastKey();
        }
        Stream stream = new Stream(exchange, start, type);
        exchange.dispatch(io.undertow.util.SameThreadExecutor.INSTANCE, () -> {
            stream.channel = exchange.getResponseChannel();
            // The head and a first line at once: the client knows the stream is open before any event.
            stream.enqueue(ByteBuffer.wrap("retry: 2000\n: open\n\n".getBytes(StandardCharsets.US_ASCII)));
            stream.flush();
            byTenant.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet()).add(stream);
            changed(tenant); // an event appended before the add would have found no stream
        });
    }

    public void changed(String tenant) {
        if (byTenant.containsKey(tenant) && changed.add(tenant)) {
            LockSupport.unpark(thread);
        }
    }

    public int open() {
        int n = 0;
        for (Set<Stream> streams : byTenant.values()) {
            n += streams.size();
        }
        return n;
    }

    private void loop() {
        long nextKeepAlive = System.nanoTime() + keepAliveNanos;
        while (running) {
            try {
                for (String tenant : changed) {
                    changed.remove(tenant);
                    deliver(tenant);
                }
                if (System.nanoTime() - nextKeepAlive >= 0) {
                    nextKeepAlive = System.nanoTime() + keepAliveNanos;
                    Map<XnioIoThread, List<Stream>> toFlush = new HashMap<>();
                    for (Set<Stream> streams : byTenant.values()) {
                        for (Stream stream : streams) {
                            if (stream.closed) {
                                streams.remove(stream);
                            } else {
                                stream.queue(ByteBuffer.wrap(KEEP_ALIVE), toFlush);
                            }
                        }
                    }
                    flush(toFlush);
                }
            } catch (RuntimeException e) {
                System.err.println("[autoreg] registry: writing event streams failed: " + e);
            }
            if (changed.isEmpty()) {
                LockSupport.parkNanos(Math.min(keepAliveNanos, TimeUnit.MILLISECONDS.toNanos(250)));
            }
        }
    }

    /** Each new event rendered once and queued on every stream behind it; streams at one cursor share one pass. */
    private void deliver(String tenant) {
        Set<Stream> streams = byTenant.get(tenant);
        if (streams == null) {
            return;
        }
        var events = log.events(tenant);
        Map<String, List<Stream>> byCursor = new HashMap<>();
        for (Stream stream : streams) {
            if (stream.closed) {
                streams.remove(stream);
            } else {
                byCursor.computeIfAbsent(stream.cursor, c -> new ArrayList<>()).add(stream);
            }
        }
        Map<String, ByteBuffer> frames = new HashMap<>();
        Map<XnioIoThread, List<Stream>> toFlush = new HashMap<>();
        byCursor.forEach((cursor, group) -> {
            String last = cursor;
            for (Event event : events.tailMap(cursor, false).values()) {
                ByteBuffer frame = frames.computeIfAbsent(event.id(), id -> frame(event));
                for (Stream stream : group) {
                    if (stream.type == null || stream.type.equals(event.type())) {
                        stream.queue(frame.duplicate(), toFlush);
                    }
                }
                last = event.id();
            }
            for (Stream stream : group) {
                stream.cursor = last;
            }
        });
        flush(toFlush);
    }

    /**
     * One task per IO thread that writes all its streams, not one task per stream: each task handed to a
     * sleeping IO thread wakes its selector (a system call), 10,000 of them per event otherwise.
     */
    private static void flush(Map<XnioIoThread, List<Stream>> toFlush) {
        toFlush.forEach((io, streams) -> io.execute(() -> {
            for (Stream stream : streams) {
                if (stream.closed) {
                    stream.end();
                } else {
                    stream.flush();
                }
            }
        }));
    }

    private static ByteBuffer frame(Event event) {
        StringBuilder sb = new StringBuilder(96 + event.payloadJson().length());
        sb.append("id: ").append(event.id()).append("\ndata: ");
        event.writeTo(sb); // JSON text never holds a raw newline, so one data line is the whole event
        sb.append("\n\n");
        return ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        for (Set<Stream> streams : byTenant.values()) {
            streams.forEach(Stream::end);
        }
        byTenant.clear();
    }

    private static final class Stream {
        final HttpServerExchange exchange;
        final String type;
        String cursor; // only the streams thread moves it
        StreamSinkChannel channel;
        private final Queue<ByteBuffer> queue = new ArrayDeque<>();
        private int queuedBytes;
        volatile boolean closed;

        Stream(HttpServerExchange exchange, String cursor, String type) {
            this.exchange = exchange;
            this.cursor = cursor;
            this.type = type;
        }

        /**
         * From the streams thread: queues the bytes; a stream whose queue was empty is added to {@code toFlush}
         * (under its IO thread), as is one closed for being too far behind.
         */
        void queue(ByteBuffer bytes, Map<XnioIoThread, List<Stream>> toFlush) {
            if (closed) {
                return;
            }
            boolean first;
            synchronized (this) {
                if (queuedBytes + bytes.remaining() > MAX_QUEUED_BYTES) {
                    first = true;
                    closed = true;
                } else {
                    first = queue.isEmpty();
                    queue.add(bytes);
                    queuedBytes += bytes.remaining();
                }
            }
            if (first) {
                toFlush.computeIfAbsent(exchange.getIoThread(), io -> new ArrayList<>())
                        .add(this);
            }
        }

        synchronized void enqueue(ByteBuffer bytes) {
            queue.add(bytes);
            queuedBytes += bytes.remaining();
        }

        /** On the IO thread: writes what it can; the rest when the socket can take it. */
        void flush() {
            if (channel == null) {
                return; // not open yet: open() flushes
            }
            try {
                while (true) {
                    ByteBuffer head;
                    synchronized (this) {
                        head = queue.peek();
                    }
                    if (head == null) {
                        break;
                    }
                    int before = head.remaining();
                    channel.write(head);
                    synchronized (this) {
                        queuedBytes -= before - head.remaining();
                        if (head.hasRemaining()) {
                            break;
                        }
                        queue.poll();
                    }
                }
                boolean pending;
                synchronized (this) {
                    pending = !queue.isEmpty();
                }
                if (!channel.flush() || pending) {
                    channel.getWriteSetter().set(c -> flush());
                    channel.resumeWrites();
                } else {
                    channel.suspendWrites();
                }
            } catch (IOException e) {
                end();
            }
        }

        /** Closes the stream (a client that left, one too far behind, or the server stopping). */
        void end() {
            closed = true;
            IoUtils.safeClose(exchange.getConnection());
        }
    }
}
