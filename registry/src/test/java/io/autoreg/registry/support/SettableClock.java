package io.autoreg.registry.support;

import io.autoreg.registry.ServerClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server clock that stands still until a test moves it, so the hour, 30-day, 90 s and
 * 10 min rules are tested at their exact edges without waiting. Moving it forward wakes the server's
 * timers, which then handle every deadline the step passed over.
 */
public final class SettableClock implements ServerClock {
    private final AtomicLong millis;
    private final List<Runnable> onJump = new CopyOnWriteArrayList<>();

    /** Starts at the real time now, so ids and stamps look like any other server's. */
    public SettableClock() {
        this(System.currentTimeMillis());
    }

    public SettableClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    /** Moves the clock forward by {@code step} and wakes the server's timers; answers the new time. */
    public long advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a server clock only moves forward: " + step);
        }
        long now = millis.addAndGet(step.toMillis());
        onJump.forEach(Runnable::run);
        return now;
    }

    /** Moves the clock forward to {@code epochMillis} (not backward). */
    public long advanceTo(long epochMillis) {
        return advance(Duration.ofMillis(epochMillis - millis()));
    }

    @Override
    public AutoCloseable onJump(Runnable wake) {
        onJump.add(wake);
        return () -> onJump.remove(wake);
    }
}
