package io.autoreg.core.client;

import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Page;
import io.autoreg.core.internal.lifecycle.Backoff;
import io.autoreg.core.internal.log.Log;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;

/**
 * Follows the events feed (docs/api.md §4 and §8) on its own daemon thread until closed, and hands each
 * event to an {@link EventsListener} once, in order. Made by {@link ServiceRegistryClient#watch}.
 *
 * <ul>
 * <li><b>Markers.</b> Each request carries {@code marker} = the last event delivered. Markers are
 * inclusive, so a good answer starts with that event again; it is dropped.</li>
 * <li><b>Catching up, then waiting.</b> The backlog is paged without {@code wait=}; once at the end each
 * request is a {@code wait=} long poll the registry holds until something newer exists.</li>
 * <li><b>Gaps.</b> An answer that does not start with our marker means the registry no longer keeps it
 * (retention, per-tenant cap): the listener gets a {@link FeedGap} and the watcher goes on as
 * {@link WatchOptions#onGap} says. The registry moves such a marker up to its oldest kept event
 * ({@code events/EventsRoute}), so the answer itself says where the feed now starts.</li>
 * <li><b>Failures.</b> Network errors, 5xx, 408 and 429 are retried with capped, jittered backoff; a
 * {@code Retry-After} is honoured instead. Any other 4xx (bad type or marker, bad credentials, a tenant
 * the token may not read) cannot succeed by retrying: the watcher stops and reports it
 * ({@link #failure()}, {@link EventsListener#onState}).</li>
 * <li><b>Close.</b> {@link #close()} cancels the held request and joins the thread.</li>
 * </ul>
 */
public final class EventsWatcher implements Closeable {

    /** Every watcher thread's name starts with this; the rest says which feed it follows. */
    public static final String THREAD_PREFIX = "autoreg-events-watcher";

    private final EventsApi events;
    private final WatchOptions options;
    private final EventsListener listener;
    private final Backoff backoff;
    private final String threadName;
    private final AtomicReference<Call> inFlight = new AtomicReference<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object sleeper = new Object();
    private volatile String marker;
    private volatile boolean running;
    private boolean closed;
    private volatile boolean caughtUp;
    private volatile WatchState state;
    private volatile Exception failure;
    private Thread thread;

    EventsWatcher(EventsApi events, WatchOptions options, EventsListener listener, Backoff backoff) {
        this.events = events;
        this.options = options;
        this.listener = listener;
        this.backoff = backoff;
        this.marker = options.marker();
        this.threadName = THREAD_PREFIX + " " + events.tenant() + (options.type() == null ? "" : " " + options.type());
    }

    /** Starts the thread (once; not after {@link #close()}); answers this watcher. */
    public synchronized EventsWatcher start() {
        if (thread == null && !closed) {
            running = true;
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** The id of the last event delivered (the marker of the next poll), or null. Where to resume from later. */
    public String marker() {
        return marker;
    }

    public long deliveredCount() {
        return delivered.get();
    }

    /** How many {@link FeedGap}s were reported. */
    public long gapCount() {
        return gaps.get();
    }

    /** True once the watcher has read to the end of the feed at least once (it is now long-polling). */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** The current state; null before {@link #start()}. */
    public WatchState state() {
        return state;
    }

    /** The answer that stopped the watcher (a {@link RegistryApiException}), or null if it was closed or runs. */
    public Exception failure() {
        return failure;
    }

    /**
     * Waits until the watcher has stopped (closed, or stopped by a failure) and its thread has ended; true if
     * both happened within the timeout.
     */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return true;
        }
        // the latch opens in the thread's last finally block: the thread may still be on its way out
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        return !t.isAlive();
    }

    /** The thread's name: {@value #THREAD_PREFIX}, the tenant and the type filter. */
    public String threadName() {
        return threadName;
    }

    /** Stops the watcher: cancels the held request and waits (up to 5 s) for the thread to end. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            closed = true;
            t = thread;
        }
        Call call = inFlight.get();
        if (call != null) {
            call.cancel();
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (t == null) {
            stopped.countDown();
        } else if (t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            loop();
        } finally {
            running = false;
            state(WatchState.STOPPED, failure);
            stopped.countDown();
        }
    }

    private void loop() {
        int failures = 0;
        WatchOptions.Start start = options.start();
        boolean needNow = start == WatchOptions.Start.NOW;
        // Whether the next answer must start with our marker (else it is a gap), and whether to deliver it.
        boolean expectMarker = marker != null;
        boolean deliverMarker = start == WatchOptions.Start.AT;
        state(WatchState.CATCHING_UP, null);
        while (running) {
            try {
                if (needNow) {
                    marker = events.latestMarker(options.type());
                    expectMarker = marker != null;
                    needNow = false;
                }
                Page<Event> page = events.list(
                        marker, options.pageSize(), options.type(), caughtUp ? options.waitSeconds() : 0, this::track);
                failures = 0;
                if (!running) {
                    return;
                }
                if (state == WatchState.RETRYING) {
                    state(caughtUp ? WatchState.LIVE : WatchState.CATCHING_UP, null);
                }
                List<Event> values = page.values();
                int from = 0;
                if (expectMarker) {
                    if (!values.isEmpty() && values.get(0).id().equalsIgnoreCase(marker)) {
                        from = deliverMarker ? 0 : 1;
                    } else {
                        FeedGap gap = new FeedGap(
                                marker, values.isEmpty() ? null : values.get(0).id(), options.gapPolicy());
                        gaps.incrementAndGet();
                        report(gap);
                        if (gap.policy() == FeedGap.Policy.SKIP_TO_NOW && !values.isEmpty()) {
                            needNow = true;
                            deliverMarker = false;
                            continue;
                        }
                        // Resume from what is kept; with nothing kept, whatever comes next is new.
                        expectMarker = false;
                    }
                    deliverMarker = false;
                }
                for (int i = from; i < values.size() && running; i++) {
                    Event event = values.get(i);
                    deliver(event);
                    marker = event.id();
                    expectMarker = true;
                }
                if (from >= values.size() || !page.hasNext()) {
                    caughtUp = true;
                    state(WatchState.LIVE, null);
                }
            } catch (RegistryApiException e) {
                if (!running) {
                    return;
                }
                if (!e.isRetryable()) {
                    failure = e;
                    Log.warn("events watcher " + threadName + ": stopped, the registry refused the poll", e);
                    return;
                }
                failures++;
                retry(failures, e, e.retryAfter().orElse(null));
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return; // close() cancelled the call
                }
                failures++;
                retry(failures, e, null);
            }
        }
    }

    private void retry(int failures, Exception e, Duration retryAfter) {
        Duration delay = retryAfter != null ? retryAfter : backoff.delay(failures);
        if (Integer.bitCount(failures) == 1) {
            Log.warn(
                    "events watcher " + threadName + ": polling failed (attempt " + failures + ", retrying in "
                            + delay.toMillis() + " ms" + (retryAfter != null ? " as Retry-After asks" : "") + ")",
                    e);
        }
        state(WatchState.RETRYING, e);
        pause(delay);
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
            listener.onEvent(event);
        } catch (RuntimeException e) {
            Log.warn("events watcher " + threadName + ": the listener failed on event " + event.id(), e);
        }
        delivered.incrementAndGet();
    }

    private void report(FeedGap gap) {
        Log.warn("events watcher " + threadName + ": the registry no longer keeps event " + gap.marker()
                + "; events after it may be lost (" + gap.policy() + ", oldest kept: " + gap.oldestKept() + ")");
        try {
            listener.onGap(gap);
        } catch (RuntimeException e) {
            Log.warn("events watcher " + threadName + ": the listener failed on a gap", e);
        }
    }

    private void state(WatchState next, Exception cause) {
        // RETRYING repeats with each failure; every other state is reported once per change.
        if (next == state && next != WatchState.RETRYING) {
            return;
        }
        state = next;
        try {
            listener.onState(next, cause);
        } catch (RuntimeException e) {
            Log.warn("events watcher " + threadName + ": the listener failed on state " + next, e);
        }
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
