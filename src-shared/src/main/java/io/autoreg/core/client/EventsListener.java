package io.autoreg.core.client;

import io.autoreg.core.client.model.Event;

/**
 * What an {@link EventsWatcher} tells its user, always on the watcher's own thread and in order. Only
 * {@link #onEvent} is required. A method that throws is logged and the watcher goes on.
 */
@FunctionalInterface
public interface EventsListener {

    /** The next event of the feed, oldest first, each once (docs/api.md §4). */
    void onEvent(Event event);

    /**
     * The registry no longer keeps the marker the watcher was at: events after it may have been dropped
     * (retention or the per-tenant cap, docs/api.md §4). Called before the watcher goes on as
     * {@link FeedGap#policy()} says. A consumer that mirrors state should re-read it in full here.
     */
    default void onGap(FeedGap gap) {}

    /**
     * The watcher's state changed. {@code cause} is the failure behind {@link WatchState#RETRYING} and a
     * {@link WatchState#STOPPED} that was not asked for (a 4xx that cannot succeed); null otherwise.
     */
    default void onState(WatchState state, Exception cause) {}
}
