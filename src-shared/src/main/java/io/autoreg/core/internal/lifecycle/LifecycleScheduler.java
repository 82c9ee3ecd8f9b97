package io.autoreg.core.internal.lifecycle;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the registration lifecycle needs of a scheduler: a step after a delay, which a newer step cancels, a step
 * at once, and a stop. Narrower than {@link ScheduledExecutorService} so that the default one can be
 * {@link LifecycleThread}: in a cold JVM, a {@code ScheduledThreadPoolExecutor} costs the agent's host about
 * 2 ms of CPU for its ~14 classes parsed from the runtime image (docs/benchmarks.md).
 */
interface LifecycleScheduler {

    /**
     * Runs {@code step} once, {@code delayMillis} from now, on the scheduler's thread.
     *
     * @throws RejectedExecutionException after {@link #shutdownNow}
     */
    Cancellable schedule(Runnable step, long delayMillis);

    /**
     * Runs {@code step} as soon as the scheduler's thread is free.
     *
     * @throws RejectedExecutionException after {@link #shutdownNow}
     */
    void execute(Runnable step);

    /** Drops every pending step and stops; what runs meanwhile is interrupted. */
    void shutdownNow();

    /** A scheduled step. */
    interface Cancellable {
        /** The step will not run (unless it has started already). */
        void cancel();
    }

    /** An injected executor (tests drive time by hand; a client shares its own). */
    static LifecycleScheduler of(ScheduledExecutorService executor) {
        return new LifecycleScheduler() {
            @Override
            public Cancellable schedule(Runnable step, long delayMillis) {
                ScheduledFuture<?> future = executor.schedule(step, delayMillis, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public void execute(Runnable step) {
                executor.execute(step);
            }

            @Override
            public void shutdownNow() {
                executor.shutdownNow();
            }
        };
    }
}
