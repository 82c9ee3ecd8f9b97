package io.autoreg.registry;

import java.util.function.LongSupplier;

/**
 * The server's one source of time, in epoch milliseconds: service and session deadlines, heartbeat
 * stamps, issued-token expiry, event ids and their retention, the events feed's default window, the
 * rate-limit window and Registro's renewal rules all read it. The default is {@link #system()};
 * tests pass a clock they move by hand through {@code RegistryServer.builder().clock(...)}.
 *
 * <p><b>Important:</b> every heartbeat reads {@link #millis()}, so an implementation must be cheap,
 * allocation-free and must not take a lock shared by all callers. It extends {@link LongSupplier}
 * so the tables read it through the same single interface call as before.
 */
public interface ServerClock extends LongSupplier {
    /** Epoch milliseconds now. */
    long millis();

    @Override
    default long getAsLong() {
        return millis();
    }

    /**
     * Registers {@code wake} to run after the clock jumps forward. The server's timers (the expiry
     * queue, event pruning) sleep in real time until the next deadline; a clock that moves in steps
     * must wake them so that a deadline it stepped over is handled at once. The server closes the
     * returned registration when it stops. The system clock never jumps, so by default nothing is
     * registered.
     */
    default AutoCloseable onJump(Runnable wake) {
        return () -> {};
    }

    /** {@link System#currentTimeMillis()}. */
    static ServerClock system() {
        return SystemClock.INSTANCE;
    }

    /** The production clock; an enum so it is one shared, stateless instance. */
    enum SystemClock implements ServerClock {
        INSTANCE;

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }
    }
}
