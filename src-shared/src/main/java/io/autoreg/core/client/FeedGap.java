package io.autoreg.core.client;

/**
 * The registry answered a poll for {@code marker} without that event: it has been dropped, past the
 * retention or the per-tenant cap (docs/api.md §4, the registry's {@code EventLog.prune}), so events
 * between it and {@code oldestKept} may be lost to this watcher.
 *
 * @param marker     the id the watcher asked from (the last event it delivered, or the one it was given)
 * @param oldestKept the first event the registry still answers after it; null when it keeps none
 * @param policy     what the watcher does next
 */
public record FeedGap(String marker, String oldestKept, Policy policy) {

    /** How a watcher goes on after a gap. */
    public enum Policy {
        /** Deliver everything the registry still keeps after the lost marker, starting with {@code oldestKept}. */
        RESUME_FROM_OLDEST,
        /** Deliver nothing of the backlog: jump to the newest event and deliver only what comes after it. */
        SKIP_TO_NOW
    }
}
