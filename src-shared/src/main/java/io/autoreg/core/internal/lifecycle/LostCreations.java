package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.log.Log;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A backend's creations of services whose answer was lost, and whether a later refusal of the same id as existing
 * ({@code 400 serviceWithThisIdExists}, docs/api.md §3) may be about the entry one of them made.
 *
 * <p>A creation that timed out after the registry applied it, or whose connection was cut after the request went
 * out, leaves an entry the client holds no token for. Every creation after it is refused as a duplicate until that
 * entry expires unrenewed (a {@code service.timeout} event), and the instance is then out of the registry until the
 * next attempt after backoff — up to a heartbeat timeout of an entry nobody renews, then up to the backoff's cap of
 * nothing. But that entry cannot expire before the lost request's send time plus its timeout: an entry found before
 * then that holds exactly what was sent (timeout, tags, metadata) is ours, and the backend deletes it and creates it
 * again at once — consumers see a remove and a join milliseconds apart. Otherwise (no creation of that id lost, the
 * window over, an entry that differs) the id may belong to another instance, and it is left to expire, as the API
 * asks.
 *
 * <p>Thread-safe. Holds one send time per id, removed when a creation of it is answered; ids whose window is over
 * are dropped whenever another creation is lost, so it stays as small as the backend's registrations.
 */
public final class LostCreations {

    /** The longest heartbeat timeout the API allows: no window lasts longer. */
    private static final long LONGEST_WINDOW_NANOS = Duration.ofSeconds(120).toNanos();

    /** A test's clock, or null for {@link System#nanoTime()} (no method reference: see {@link TokenChain}). */
    private final LongSupplier nanoClock;

    private final Map<String, Long> lostAt = new HashMap<>();

    public LostCreations() {
        this(null);
    }

    LostCreations(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * A creation of {@code id} sent at {@code sentAt} ({@link TokenChain#now()}) got no answer, or a server error:
     * the registry may have applied it.
     */
    public synchronized void unanswered(String id, long sentAt) {
        long now = now();
        for (Iterator<Long> it = lostAt.values().iterator(); it.hasNext(); ) {
            if (now - it.next() >= LONGEST_WINDOW_NANOS) {
                it.remove();
            }
        }
        Long earlier = lostAt.get(id);
        if (earlier == null || sentAt - earlier > 0) {
            lostAt.put(id, sentAt);
        }
    }

    /** A creation of {@code id} was answered (created, or refused for good): nothing of it is lost any more. */
    public synchronized void answered(String id) {
        lostAt.remove(id);
    }

    /**
     * Whether an entry of {@code id} found now may have been made by a creation whose answer was lost: one was, and
     * an entry it made with {@code timeout} cannot have expired yet. The caller still compares the entry with what it
     * sent before deleting it.
     */
    public synchronized boolean mayHaveMade(String id, Duration timeout) {
        Long sentAt = lostAt.get(id);
        if (sentAt == null) {
            return false;
        }
        if (now() - sentAt >= timeout.toNanos()) {
            lostAt.remove(id);
            return false;
        }
        return true;
    }

    /** Says, as a warning, that {@code what} ("service orders-1") is deleted to be created again. */
    public static void warnDeleting(String what) {
        Log.warn("the registry already holds " + what + " exactly as this instance created it, whose answer was"
                + " lost; deleting it to create it again at once");
    }

    private long now() {
        return nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
    }
}
