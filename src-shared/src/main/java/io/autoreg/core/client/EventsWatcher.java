package io.autoreg.core.client;

import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Page;
import io.autoreg.core.internal.lifecycle.Backoff;
import io.autoreg.core.internal.log.Log;
import okhttp3.Call;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Follows the events feed (the original clients' "poller", docs/api.md §4 and §8) over one persistent
 * connection: each request is a {@code wait=} long poll with {@code marker} = the last event delivered.
 * Markers are inclusive, so the answer starts with that event again; it is dropped, and everything
 * after it is delivered in order. Failures are retried with capped, jittered backoff; the watcher
 * stops only when closed. A listener that throws is logged and does not stop it.
 */
public final class EventsWatcher implements AutoCloseable {

    private final EventsApi events;
    private final boolean fromNow;
    private final String type;
    private final int waitSeconds;
    private final Consumer<Event> listener;
    private final Backoff backoff;
    private final AtomicReference<Call> inFlight = new AtomicReference<>();
    private final AtomicLong delivered = new AtomicLong();
    private final Object sleeper = new Object();
    private volatile String marker;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private Thread thread;

    EventsWatcher(EventsApi events, String afterMarker, boolean fromNow, String type, int waitSeconds,
                  Consumer<Event> listener, Backoff backoff) {
        this.events = events;
        this.marker = afterMarker;
        this.fromNow = fromNow && afterMarker == null;
        this.type = type;
        this.waitSeconds = waitSeconds;
        this.listener = listener;
        this.backoff = backoff;
    }

    public synchronized EventsWatcher start() {
        if (thread == null) {
            running = true;
            thread = new Thread(this::loop, "autoreg-events-watcher");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** The id of the last event delivered (the marker of the next poll), or null. */
    public String marker() {
        return marker;
    }

    public long deliveredCount() {
        return delivered.get();
    }

    /** True once the watcher has read to the end of the feed at least once (it is now long-polling). */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        Call call = inFlight.get();
        if (call != null) {
            call.cancel();
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        int failures = 0;
        boolean needStart = fromNow;
        while (running) {
            try {
                if (needStart) {
                    marker = events.latestMarker(type);
                    needStart = false;
                }
                // until caught up, page without waiting; then hold the request open
                Page<Event> page = events.list(marker, 100, type, caughtUp ? waitSeconds : 0, this::track);
                failures = 0;
                int fresh = 0;
                for (Event event : page.values()) {
                    if (event.id().equals(marker)) {
                        continue; // inclusive marker: we delivered it last time
                    }
                    fresh++;
                    deliver(event);
                    marker = event.id();
                }
                if (fresh == 0 || !page.hasNext()) {
                    caughtUp = true;
                }
            } catch (Throwable e) {
                if (!running) {
                    return;
                }
                failures++;
                Duration delay = backoff.delay(failures);
                if (Integer.bitCount(failures) == 1) {
                    Log.warn("events watcher: polling failed (attempt " + failures + ", retrying in " + delay.toMillis() + " ms)", e);
                }
                pause(delay);
            }
        }
    }

    /**
     * Remembers the call so {@link #close()} can cancel it; a call made after close() began is cancelled
     * here (close sets {@code running} before it reads {@code inFlight}, so one of the two sees the other).
     */
    private void track(Call call) {
        inFlight.set(call);
        if (!running) {
            call.cancel();
        }
    }

    private void deliver(Event event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            Log.warn("events watcher: the listener failed on event " + event.id(), e);
        }
        delivered.incrementAndGet();
    }

    private void pause(Duration delay) {
        synchronized (sleeper) {
            if (!running) {
                return;
            }
            try {
                sleeper.wait(Math.max(1, delay.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
