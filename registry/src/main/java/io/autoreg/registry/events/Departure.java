package io.autoreg.registry.events;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Notices the client of a parked long poll closing its connection. While a request is being handled Undertow
 * does not read the connection (HTTP/1.1), so a client that left was only found when its wait ended, and its
 * slot lived until then. Here reads stay on while the poll is parked: end of stream closes the connection,
 * whose close listener frees the slot at once; bytes of a pipelined next request are handed back to Undertow
 * as its "extra bytes", parsed once the poll is answered. One instance (and one close listener) per
 * connection, reused by every poll on it. docs/benchmarks.md, "Watchers" (issue 16, part 1).
 */
final class Departure implements ChannelListener<ConduitStreamSourceChannel> {
    private static final AttachmentKey<Departure> KEY = AttachmentKey.create(Departure.class);

    private final AbstractServerConnection connection;
    private LongPolls.Poll poll; // only on the connection's IO thread
    private Consumer<LongPolls.Poll> onLeft;

    private Departure(AbstractServerConnection connection) {
        this.connection = connection;
    }

    /** On the exchange's IO thread, once the poll is parked: {@code onLeft} gets it if the client leaves. */
    static void watch(HttpServerExchange exchange, LongPolls.Poll poll, Consumer<LongPolls.Poll> onLeft) {
        if (!(exchange.getConnection() instanceof AbstractServerConnection connection)
                || connection.getExtraBytes() != null
                || !connection.isOpen()) {
            return; // not HTTP/1.1, or a pipelined request already read: found when the wait ends, as before
        }
        Departure departure = connection.getAttachment(KEY);
        if (departure == null) {
            Departure created = new Departure(connection);
            connection.putAttachment(KEY, created);
            connection.addCloseListener(c -> created.closed());
            departure = created;
        }
        departure.poll = poll;
        departure.onLeft = onLeft;
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.setReadListener(departure);
        source.resumeReads();
    }

    /** On the exchange's IO thread, before the answer is written: Undertow reads the connection again after it. */
    static void stop(HttpServerExchange exchange) {
        Departure departure = exchange.getConnection().getAttachment(KEY);
        if (departure != null && departure.poll != null) {
            departure.poll = null;
            departure.connection.getChannel().getSourceChannel().suspendReads();
        }
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean handedBack = false;
        try {
            int read = source.read(pooled.getBuffer());
            if (read < 0) {
                IoUtils.safeClose(connection); // the close listener frees the slot
            } else if (read > 0) {
                pooled.getBuffer().flip();
                connection.setExtraBytes(pooled);
                handedBack = true;
                source.suspendReads();
            }
        } catch (IOException e) {
            IoUtils.safeClose(connection);
        } finally {
            if (!handedBack) {
                pooled.close();
            }
        }
    }

    private void closed() {
        LongPolls.Poll gone = poll;
        if (gone != null) {
            poll = null;
            onLeft.accept(gone);
        }
    }
}
