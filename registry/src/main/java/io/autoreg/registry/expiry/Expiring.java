package io.autoreg.registry.expiry;

/** Something with a deadline that the {@link ExpiryScheduler} checks when its timer fires. */
public interface Expiring {
    /**
     * Called on the expiry thread at or after the time it was scheduled for. Returns the deadline to
     * check again at (the entry was heartbeated since), or -1 when it expired now or is already gone.
     */
    long checkExpiry(long nowMillis);
}
