package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Creations of services that survive a lost answer: a backend's creations whose answer was lost, and the one rule for
 * a later refusal of the same id as existing ({@code 400 serviceWithThisIdExists}, docs/api.md §3) — the core's
 * client and the agent's light client both create through {@link #create}, each with its own requests.
 *
 * <p>A creation that timed out after the registry applied it, or whose connection was cut after the request went
 * out, leaves an entry the client holds no token for. Every creation after it is refused as a duplicate until that
 * entry expires unrenewed (a {@code service.timeout} event), and the instance is then out of the registry until the
 * next attempt after backoff — up to a heartbeat timeout of an entry nobody renews, then up to the backoff's cap of
 * nothing. But that entry cannot expire before the lost request's send time plus its timeout: an entry found before
 * then that the client recognises as its own is deleted and created again at once — consumers see a remove and a
 * join milliseconds apart. Otherwise (no creation of that id lost, the window over, an entry that differs) the id may
 * belong to another instance, and it is left to expire, as the API asks.
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

    /** What the registry holds under an id when a creation of it was refused as existing. */
    public enum Entry {
        /** Nothing: it expired or was deleted meanwhile. */
        GONE,
        /** Exactly what this client sent: the entry its lost creation made. */
        OURS,
        /** Anything else: possibly another instance's, left alone. */
        ANOTHER
    }

    /**
     * One client's requests for {@link #create}: a named class on the agent's path (no lambda, see {@link
     * TokenChain}), a small adapter elsewhere. Used from one thread for one creation.
     *
     * @param <T> what a creation yields: a token, a lease
     */
    public interface Creation<T> {
        /** The id of the service created. */
        String id();

        /** The entry's heartbeat timeout: how long an entry made by a lost creation can outlive it. */
        Duration timeout();

        /**
         * Sends the creation once, sent at {@code sentAt} ({@link TokenChain#now()} or a test's clock): what it
         * made, or null when the registry refused the id as existing; any other failure is thrown.
         */
        T send(long sentAt) throws IOException;

        /**
         * Whether a failure {@link #send} threw may have been applied: no answer, a server error, a created answer
         * that could not be read. A refusal (4xx) applied nothing.
         */
        boolean mayHaveApplied(IOException failure);

        /** {@code GET} the id's entry and tell whose it is. */
        Entry look() throws IOException;

        /** Deletes the id's entry; an entry gone meanwhile is gone all the same. */
        void delete() throws IOException;
    }

    /**
     * Creates as described above: sends {@code creation}; refused as existing less than a timeout after a creation of
     * the id went unanswered, looks at the entry — gone, sends again; ours, deletes it (with one warning) and sends
     * again; another's, nothing. Returns what the creation made, or null when the id stays refused as existing (the
     * caller says so in its own terms, to be retried until the entry expires).
     */
    public <T> T create(Creation<T> creation) throws IOException {
        String id = creation.id();
        T made = sendOnce(creation);
        if (made == null && mayHaveMade(id, creation.timeout())) {
            Entry entry = creation.look();
            if (entry == Entry.GONE) {
                made = sendOnce(creation); // it expired meanwhile
            } else if (entry == Entry.OURS) {
                Log.warn("the registry already holds service " + id + " exactly as this instance created it, whose"
                        + " answer was lost; deleting it to create it again at once");
                creation.delete();
                made = sendOnce(creation);
            }
        }
        if (made == null) {
            answered(id); // refused for good this time: the next refusal is another's entry, or stale
        }
        return made;
    }

    /** One creation; one that may have been applied without its answer reaching us is noted. */
    private <T> T sendOnce(Creation<T> creation) throws IOException {
        long sentAt = now();
        T made;
        try {
            made = creation.send(sentAt);
        } catch (IOException failure) {
            if (creation.mayHaveApplied(failure)) {
                unanswered(creation.id(), sentAt);
            }
            throw failure;
        }
        if (made != null) {
            answered(creation.id());
        }
        return made;
    }

    /**
     * A creation of {@code id} sent at {@code sentAt} got no answer, or a server error: the registry may have applied
     * it.
     */
    synchronized void unanswered(String id, long sentAt) {
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
    synchronized void answered(String id) {
        lostAt.remove(id);
    }

    /**
     * Whether an entry of {@code id} found now may have been made by a creation whose answer was lost: one was, and
     * an entry it made with {@code timeout} cannot have expired yet.
     */
    synchronized boolean mayHaveMade(String id, Duration timeout) {
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

    private long now() {
        return nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
    }
}
