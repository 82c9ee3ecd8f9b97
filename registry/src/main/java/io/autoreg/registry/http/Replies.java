package io.autoreg.registry.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Writes replies and fault bodies; every response gets a unique X-Response-Id. */
public final class Replies {
    public static final HttpString RESPONSE_ID = new HttpString("X-Response-Id");
    public static final String JSON = "application/json; charset=UTF-8";
    private static final long PROCESS_BITS = ThreadLocalRandom.current().nextLong();
    private static final AtomicLong COUNTER =
            new AtomicLong(ThreadLocalRandom.current().nextLong());

    /** Content-Length values of small answers (a heartbeat's is 48 bytes), made once. */
    private static final String[] LENGTHS = new String[128];

    static {
        for (int i = 0; i < LENGTHS.length; i++) {
            LENGTHS[i] = Integer.toString(i);
        }
    }

    private Replies() {}

    /** Assigns the response id at the start of an exchange so faults can quote it as txnId. */
    public static String assignResponseId(HttpServerExchange exchange) {
        String id = newResponseId();
        exchange.getResponseHeaders().put(RESPONSE_ID, id);
        return id;
    }

    /** A response id unique in this process (also for answers written below Undertow's exchanges). */
    static String newResponseId() {
        return new UUID(PROCESS_BITS, COUNTER.incrementAndGet()).toString();
    }

    public static String responseId(HttpServerExchange exchange) {
        String id = exchange.getResponseHeaders().getFirst(RESPONSE_ID);
        return id != null ? id : assignResponseId(exchange);
    }

    public static void send(HttpServerExchange exchange, Reply reply) {
        exchange.setStatusCode(reply.status());
        if (reply.status() == 421) { // Undertow's table has no phrase for it (it would say "Unknown")
            exchange.setReasonPhrase("Misdirected Request");
        }
        if (reply.location() != null) {
            exchange.getResponseHeaders().put(Headers.LOCATION, reply.location());
        }
        if (reply.json() == null && reply.utf8() == null) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        if (reply.utf8() != null) {
            byte[] utf8 = reply.utf8();
            if (utf8.length < LENGTHS.length) {
                // Undertow's sender would set the same header from Long.toString (a new String per answer).
                exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, LENGTHS[utf8.length]);
            }
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(utf8));
        } else {
            exchange.getResponseSender().send(reply.json());
        }
    }

    public static void fault(HttpServerExchange exchange, ApiError error) {
        StringBuilder body = new StringBuilder(160);
        body.append("{\"type\":");
        JsonText.string(body, error.type());
        body.append(",\"code\":").append(error.status()).append(",\"message\":");
        JsonText.string(body, error.getMessage());
        body.append(",\"details\":");
        JsonText.string(body, error.details());
        body.append(",\"txnId\":");
        JsonText.string(body, responseId(exchange));
        body.append('}');
        if (error.status() == 401) {
            exchange.getResponseHeaders()
                    .put(Headers.WWW_AUTHENTICATE, "Keystone uri=\"" + ServerAddress.base(exchange) + "/v2.0/tokens\"");
        }
        if (error.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, error.retryAfterSeconds());
        }
        // An oversize body is answered at once and never kept: Undertow discards the unread rest (up
        // to its MAX_ENTITY_SIZE, beyond which it closes the connection) so the client can read the 413.
        exchange.getResponseHeaders().remove(Headers.LOCATION);
        send(exchange, Reply.json(error.status(), body.toString()));
    }
}
