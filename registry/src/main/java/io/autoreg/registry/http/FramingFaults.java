package io.autoreg.registry.http;

import io.undertow.Undertow;
import io.undertow.server.OpenListener;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Gives Undertow's own framing 400s the fault body of docs/api.md (§1: every 4xx carries one).
 *
 * <p>A request Undertow cannot parse — a malformed request line or header line, a Content-Length that
 * is not one non-negative number, Content-Length together with chunked — is answered before any
 * handler runs, by {@code HttpReadListener.sendBadRequestAndClose}, which writes the fixed bytes
 * {@value #BARE_400} and closes the connection. No option, handler or response listener sees that
 * answer. So every accepted connection gets one extra conduit at the bottom of its sink that swaps
 * exactly those bytes for a 400 with a fault body; everything else passes through untouched, at
 * the cost of one length comparison per write (no allocation, no lock).
 *
 * <p><b>Important:</b> Undertow has no API to wrap accepted connections, so {@link #install} reads two
 * private fields of {@code Undertow.ListenerInfo} (the accepting channel and its open listener) of the
 * pinned Undertow 2.3. If a later version renames them, the server logs one warning and keeps the bare
 * 400s; the bad-input suite then fails on the missing body, so the upgrade cannot go unnoticed.
 */
public final class FramingFaults {
    static final String BARE_400 = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    private static final byte[] BARE = BARE_400.getBytes(StandardCharsets.ISO_8859_1);

    private FramingFaults() {}

    /**
     * Wraps the connections every listener of the started {@code undertow} accepts from now on (a
     * connection accepted between {@code start()} and this call, before the port is even known to the
     * caller, keeps Undertow's bare 400).
     */
    public static void install(Undertow undertow) {
        for (Undertow.ListenerInfo listener : undertow.getListenerInfo()) {
            try {
                @SuppressWarnings("unchecked")
                AcceptingChannel<StreamConnection> channel =
                        (AcceptingChannel<StreamConnection>) field(listener, "channel");
                OpenListener open = (OpenListener) field(listener, "openListener");
                ChannelListener<StreamConnection> wrapping = connection -> {
                    ConduitStreamSinkChannel sink = connection.getSinkChannel();
                    sink.setConduit(new FaultBodyConduit(sink.getConduit()));
                    open.handleEvent(connection);
                };
                channel.getAcceptSetter().set(ChannelListeners.openListenerAdapter(wrapping));
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.err.println(
                        "[autoreg] registry: WARNING: Undertow's framing 400s stay without a fault body (" + e + ")");
            }
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    /** Undertow's bare 400, byte for byte, at the start of {@code src}. */
    static boolean isBare400(ByteBuffer src) {
        if (src.remaining() != BARE.length) {
            return false;
        }
        int at = src.position();
        for (int i = 0; i < BARE.length; i++) {
            if (src.get(at + i) != BARE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The replacement: the same status and closing, with the fault body and the usual headers. */
    static byte[] faultAnswer(String responseId) {
        StringBuilder body = new StringBuilder(256).append("{\"type\":\"badRequest\",\"code\":400,\"message\":");
        JsonText.string(body, "Malformed HTTP request");
        body.append(",\"details\":");
        JsonText.string(
                body,
                "The request line, a header or the message framing (Content-Length, "
                        + "Transfer-Encoding) is not valid HTTP/1.1");
        body.append(",\"txnId\":");
        JsonText.string(body, responseId);
        byte[] json = body.append('}').toString().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: " + Replies.JSON
                + "\r\nContent-Length: " + json.length + "\r\n" + Replies.RESPONSE_ID + ": " + responseId + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] answer = new byte[headBytes.length + json.length];
        System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
        System.arraycopy(json, 0, answer, headBytes.length, json.length);
        return answer;
    }

    /**
     * The bottom sink conduit of a connection. Undertow closes the connection right after its 400 is
     * accepted, so the replacement is written at once; what the socket does not take then is written
     * on the next flush or before the write side is shut down.
     */
    static final class FaultBodyConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
        private ByteBuffer replacement;
        private boolean terminating;

        FaultBodyConduit(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (replacement == null && isBare400(src)) {
                replacement = ByteBuffer.wrap(faultAnswer(Replies.newResponseId()));
                int consumed = src.remaining();
                src.position(src.limit());
                drained();
                return consumed;
            }
            return next.write(src);
        }

        @Override
        public boolean flush() throws IOException {
            if (replacement != null) {
                if (!drained()) {
                    return false;
                }
                if (terminating) {
                    terminating = false;
                    next.terminateWrites();
                }
            }
            return next.flush();
        }

        @Override
        public void terminateWrites() throws IOException {
            if (replacement != null && !drained()) {
                terminating = true; // after the rest of the replacement, in flush()
                return;
            }
            next.terminateWrites();
        }

        private boolean drained() throws IOException {
            while (replacement.hasRemaining()) {
                if (next.write(replacement) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
