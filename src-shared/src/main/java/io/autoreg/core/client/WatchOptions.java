package io.autoreg.core.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Where an {@link EventsWatcher} starts and how it behaves; immutable, each {@code with…} returns a copy.
 * The default: the last hour of the feed (the registry's window without a marker, docs/api.md §4), every
 * type, 30 s long polls, gaps resumed from the oldest kept event, the client's backoff.
 *
 * <pre>{@code
 * try (EventsWatcher w = client.watch(WatchOptions.fromNow().type(Event.SERVICE_JOIN), event -> ...)) { ... }
 * }</pre>
 */
public final class WatchOptions {

    /** Where the first poll starts. */
    enum Start {
        LAST_HOUR,
        NOW,
        AFTER,
        AT
    }

    static final int DEFAULT_WAIT_SECONDS = 30;
    static final int DEFAULT_PAGE_SIZE = 100;

    private final Start start;
    private final String marker;
    private final String type;
    private final int waitSeconds;
    private final int pageSize;
    private final FeedGap.Policy gapPolicy;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private WatchOptions(
            Start start,
            String marker,
            String type,
            int waitSeconds,
            int pageSize,
            FeedGap.Policy gapPolicy,
            Duration initialBackoff,
            Duration maxBackoff) {
        this.start = start;
        this.marker = marker;
        this.type = type;
        this.waitSeconds = waitSeconds;
        this.pageSize = pageSize;
        this.gapPolicy = gapPolicy;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The last hour of the feed, then everything new. */
    public static WatchOptions lastHour() {
        return new WatchOptions(
                Start.LAST_HOUR,
                null,
                null,
                DEFAULT_WAIT_SECONDS,
                DEFAULT_PAGE_SIZE,
                FeedGap.Policy.RESUME_FROM_OLDEST,
                null,
                null);
    }

    /** Only events newer than the newest one at start. */
    public static WatchOptions fromNow() {
        return lastHour().start(Start.NOW, null);
    }

    /**
     * Events after {@code marker} (an event id already seen: it is not delivered again). With a
     * {@link #type}, the marker should be an event of that type: the registry's answer leaves out other
     * types, the marker included, which reads as a {@link FeedGap}.
     */
    public static WatchOptions after(String marker) {
        return lastHour().start(Start.AFTER, Objects.requireNonNull(marker, "marker"));
    }

    /** Events from {@code marker} on, that event included (the registry's inclusive marker, as a listing's). */
    public static WatchOptions at(String marker) {
        return lastHour().start(Start.AT, Objects.requireNonNull(marker, "marker"));
    }

    /** Only events of this type (one of the five of docs/api.md §4; the registry refuses others with 400); null for all. */
    public WatchOptions type(String type) {
        return new WatchOptions(start, marker, type, waitSeconds, pageSize, gapPolicy, initialBackoff, maxBackoff);
    }

    /** How long each long poll is held open, 1..{@value EventsApi#MAX_WAIT_SECONDS} s. */
    public WatchOptions waitSeconds(int seconds) {
        if (seconds < 1 || seconds > EventsApi.MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("waitSeconds must be 1.." + EventsApi.MAX_WAIT_SECONDS + ": " + seconds);
        }
        return new WatchOptions(start, marker, type, seconds, pageSize, gapPolicy, initialBackoff, maxBackoff);
    }

    /** Events per request while catching up, 1..1000. */
    public WatchOptions pageSize(int size) {
        if (size < 1 || size > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + size);
        }
        return new WatchOptions(start, marker, type, waitSeconds, size, gapPolicy, initialBackoff, maxBackoff);
    }

    /** What to do when the registry no longer keeps the watcher's marker (see {@link FeedGap}). */
    public WatchOptions onGap(FeedGap.Policy policy) {
        return new WatchOptions(
                start,
                marker,
                type,
                waitSeconds,
                pageSize,
                Objects.requireNonNull(policy, "policy"),
                initialBackoff,
                maxBackoff);
    }

    /** Retry delays after a failure: capped exponential with full jitter (the client's own by default). */
    public WatchOptions backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        return new WatchOptions(start, marker, type, waitSeconds, pageSize, gapPolicy, initial, max);
    }

    private WatchOptions start(Start start, String marker) {
        return new WatchOptions(start, marker, type, waitSeconds, pageSize, gapPolicy, initialBackoff, maxBackoff);
    }

    Start start() {
        return start;
    }

    String marker() {
        return marker;
    }

    public String type() {
        return type;
    }

    public int waitSeconds() {
        return waitSeconds;
    }

    public int pageSize() {
        return pageSize;
    }

    public FeedGap.Policy gapPolicy() {
        return gapPolicy;
    }

    Duration initialBackoff() {
        return initialBackoff;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    @Override
    public String toString() {
        return "WatchOptions{" + start + (marker == null ? "" : " " + marker) + (type == null ? "" : ", type=" + type)
                + ", wait=" + waitSeconds + "s, page=" + pageSize + ", gap=" + gapPolicy + '}';
    }
}
