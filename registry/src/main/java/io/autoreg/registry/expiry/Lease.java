package io.autoreg.registry.expiry;

/**
 * The heartbeat state of a service or session: its deadline and the generation of its one live
 * token, guarded by the lease's own monitor, so heartbeats of different leases never contend.
 */
public abstract class Lease implements Expiring {
    /** Result codes of {@link #beat}. */
    public static final long EXPIRED = -1;

    public static final long BAD_TOKEN = -2;

    private volatile long deadline;
    private volatile long lastSeen = -1;
    private volatile boolean dead;
    private long generation;
    /** False after a restart until the first heartbeat: then any verified generation ≥ {@link #generation} is live. */
    private boolean exact;

    private long scheduledAt;

    protected Lease(long generation, boolean exact, long deadline) {
        this.generation = generation;
        this.exact = exact;
        this.deadline = deadline;
        this.scheduledAt = deadline;
    }

    public final long deadline() {
        return deadline;
    }

    public final boolean dead() {
        return dead;
    }
    /** Epoch ms of the last heartbeat, or -1 before the first. */
    public final long lastSeen() {
        return lastSeen;
    }

    public final synchronized long generation() {
        return generation;
    }

    /** Alive at {@code now}: not removed and not past its deadline (reads must never show an expired entry). */
    public boolean aliveAt(long now) {
        return !dead && deadline > now;
    }

    /**
     * Consumes the token of {@code presented} generation and extends the deadline by {@code timeoutMillis}.
     * Returns the new generation, {@link #EXPIRED} or {@link #BAD_TOKEN}. Sets {@code reschedule[0]}
     * when the new deadline is earlier than the armed timer (the timeout was shortened).
     */
    public final synchronized long beat(long presented, long now, long timeoutMillis, boolean[] reschedule) {
        if (dead || deadline <= now) {
            return EXPIRED;
        }
        if (exact ? presented != generation : presented < generation) {
            return BAD_TOKEN;
        }
        generation = presented + 1;
        exact = true;
        deadline = now + timeoutMillis;
        lastSeen = now;
        if (deadline < scheduledAt) {
            scheduledAt = deadline;
            reschedule[0] = true;
        }
        return generation;
    }

    /** Marks the lease removed; false if it already was (by expiry, delete or its session). */
    public final synchronized boolean kill() {
        if (dead) {
            return false;
        }
        dead = true;
        return true;
    }

    @Override
    public final long checkExpiry(long now) {
        long expiredAt;
        synchronized (this) {
            if (dead) {
                return -1;
            }
            if (deadline > now) {
                scheduledAt = deadline;
                return deadline;
            }
            dead = true;
            expiredAt = deadline;
        }
        expired(expiredAt);
        return -1;
    }

    /** Called once, outside the monitor, when the deadline passed without a heartbeat. */
    protected abstract void expired(long deadline);
}
