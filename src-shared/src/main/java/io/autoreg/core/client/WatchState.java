package io.autoreg.core.client;

/** Where an {@link EventsWatcher} is; see {@link EventsListener#onState}. */
public enum WatchState {
    /** Reading the backlog page by page, without {@code wait=}. */
    CATCHING_UP,
    /** At the end of the feed: each request is a {@code wait=} long poll. */
    LIVE,
    /** The last request failed (network, 5xx, 429); the watcher is waiting to try again. */
    RETRYING,
    /** Closed, or stopped by an answer that retrying cannot change (then the listener gets the cause). */
    STOPPED
}
