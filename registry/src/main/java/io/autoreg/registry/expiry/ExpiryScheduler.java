package io.autoreg.registry.expiry;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Deadline-ordered expiry with lazy invalidation: a heartbeat only moves the entry's own deadline;
 * when the timer for the old deadline fires, the entry re-arms itself at its new one. So heartbeats
 * never touch this queue (no lock shared by every heartbeat), and an expired entry is handled at
 * its deadline, not by a periodic scan.
 */
public final class ExpiryScheduler implements AutoCloseable {
    private final DelayQueue<Timer> queue = new DelayQueue<>();
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;

    public ExpiryScheduler(LongSupplier clock) {
        this.clock = clock;
        this.thread = new Thread(this::loop, "autoreg-expiry");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Checks {@code target} at {@code deadlineMillis} (epoch ms of {@link #clock}). */
    public void schedule(Expiring target, long deadlineMillis) {
        queue.add(new Timer(target, deadlineMillis));
    }

    public int pending() {
        return queue.size();
    }

    /**
     * Re-reads the clock now instead of at the end of the current real-time wait: for a clock that
     * jumped forward over deadlines. An already-due no-op timer becomes the queue's head, which wakes
     * the expiry thread; it then sees every deadline the jump passed.
     */
    public void wake() {
        queue.add(new Timer(now -> -1, 0)); // due since 1970, yet no overflow in getDelay
    }

    private void loop() {
        while (running) {
            Timer timer;
            try {
                timer = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                long next = timer.target.checkExpiry(clock.getAsLong());
                if (next >= 0) {
                    queue.add(new Timer(timer.target, next));
                }
            } catch (RuntimeException e) {
                System.err.println("[autoreg] registry: expiry check failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private final class Timer implements Delayed {
        final Expiring target;
        final long at;

        Timer(Expiring target, long at) {
            this.target = target;
            this.at = at;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - clock.getAsLong(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(at, ((Timer) other).at);
        }
    }
}
