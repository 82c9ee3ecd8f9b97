package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.log.Log;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One heartbeat token chain of a service or a session (docs/api.md §3), and whether the entry is provably still
 * ours when the registry turns its token down.
 *
 * <p>A heartbeat spends its token and answers the next one. When that answer is lost — a call that timed out after
 * the registry applied it, a connection cut after the request went out, an HTTP client replaying the POST — the
 * next heartbeat presents a spent token and gets 404 naming {@code HeartbeatMarker}, while the entry lives on to the
 * deadline the lost heartbeat set. Creating it again is refused ({@code serviceWithThisIdExists}) until then: one
 * lost answer would leave the entry unrenewed until it expires (a {@code service.timeout} event) and the instance
 * out of the registry until the next creation after backoff. But the entry cannot expire before the send time of the last heartbeat (or creation) the registry may have
 * applied plus the timeout; a token turned down before then is about our own entry, and deleting it to create it
 * again at once costs consumers a remove and a join milliseconds apart instead. Later, the id may belong to another
 * instance by now (ours expired, theirs created), so it is left alone to expire as before.
 *
 * <p>Thread-safe: the lifecycle renews from one thread at a time, and readers only read.
 */
public final class TokenChain {

    private final long timeoutNanos;
    /**
     * A test's clock, or null for {@link System#nanoTime()} (no method reference: a lambda's first use cost a cold host
     * JVM 1.1–1.3 ms on the agent's lifecycle thread, docs/benchmarks.md 2026-12-07 06:14).
     */
    private final LongSupplier nanoClock;

    private volatile String token;
    /** When the latest request that may have renewed the entry was sent ({@link System#nanoTime()}). */
    private volatile long lastMaybeAppliedAt;

    /** The chain of an entry created with {@code token} by a request sent at {@code createdAt} (see {@link #now()}). */
    public TokenChain(String token, Duration timeout, long createdAt) {
        this(token, timeout, createdAt, null);
    }

    TokenChain(String token, Duration timeout, long createdAt, LongSupplier nanoClock) {
        this.token = token;
        this.timeoutNanos = timeout.toNanos();
        this.lastMaybeAppliedAt = createdAt;
        this.nanoClock = nanoClock;
    }

    /** The clock the send times are read on. */
    public static long now() {
        return System.nanoTime();
    }

    /**
     * Whether a 404's fault details name the heartbeat token ({@code Object "HeartbeatMarker" with key "…" does not
     * exist}: the entry exists) rather than the service or session.
     */
    public static boolean turnsDownTheToken(String faultDetails) {
        return faultDetails != null && faultDetails.startsWith("Object \"HeartbeatMarker\"");
    }

    /** The token the next heartbeat presents. */
    public String token() {
        return token;
    }

    /** A heartbeat sent at {@code sentAt} was answered with the next token. */
    public void renewed(String next, long sentAt) {
        token = next;
        applied(sentAt);
    }

    /**
     * A heartbeat sent at {@code sentAt} got no answer, or a server error: the registry may have applied it, and
     * its deadline counts from then.
     */
    public void unanswered(long sentAt) {
        applied(sentAt);
    }

    /** Whether the entry cannot have expired yet, so a turned-down token means ours was spent by a lost answer. */
    public boolean entryIsStillOurs() {
        long now = nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
        return now - lastMaybeAppliedAt < timeoutNanos;
    }

    /**
     * After a heartbeat answered 404: whether to delete the entry before it is created again — when the 404 turned
     * down the token ({@link #turnsDownTheToken}) while the entry {@link #entryIsStillOurs() is still ours}. Says so
     * as a warning, naming {@code what} ("service orders-1").
     */
    public boolean deleteBeforeCreatingAgain(boolean tokenTurnedDown, String what) {
        if (!tokenTurnedDown || !entryIsStillOurs()) {
            return false;
        }
        Log.warn("the registry turned down the heartbeat token of " + what + ": the answer to an earlier heartbeat"
                + " was lost; deleting it to create it again at once");
        return true;
    }

    private synchronized void applied(long sentAt) {
        if (sentAt - lastMaybeAppliedAt > 0) {
            lastMaybeAppliedAt = sentAt;
        }
    }
}
