package io.autoreg.backendsit;

import io.autoreg.registry.ServerClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registry server's clock that runs in real time and that a test can move forward at once: heartbeats, renewals
 * and expiries keep their real pace, and a fixed protocol delay (Registro's 90 s before an instance is down) is
 * stepped over instead of waited for. The server's timers are woken after each jump, as with any clock that jumps.
 */
final class JumpingClock implements ServerClock {

    private final AtomicLong offsetMillis = new AtomicLong();
    private final List<Runnable> onJump = new CopyOnWriteArrayList<>();

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    /** Moves the clock forward by {@code step} and wakes the server's timers. */
    void jump(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a server clock only moves forward: " + step);
        }
        offsetMillis.addAndGet(step.toMillis());
        onJump.forEach(Runnable::run);
    }

    @Override
    public AutoCloseable onJump(Runnable wake) {
        onJump.add(wake);
        return () -> onJump.remove(wake);
    }
}
