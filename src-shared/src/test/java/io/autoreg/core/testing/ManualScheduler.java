package io.autoreg.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic scheduler on a {@link ManualClock}: tasks run on the test thread, in due-time order,
 * when the test calls {@link #advance(Duration)} or {@link #runDue()}. Only {@code schedule(Runnable…)}
 * and {@code execute} are supported — what the lifecycle uses.
 */
public final class ManualScheduler implements ScheduledExecutorService {

    private final ManualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(Task.ORDER);
    private final List<Duration> requestedDelays = new ArrayList<>();
    private long sequence;
    private boolean shutdown;

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    /** Moves time forward by {@code d}, running every task that falls due, each at its own due time. */
    public void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        for (int guard = 0; guard < 100_000; guard++) {
            Task task;
            synchronized (this) {
                task = queue.peek();
                if (task == null || task.due.isAfter(end)) {
                    break;
                }
                queue.poll();
            }
            if (task.due.isAfter(clock.instant())) {
                clock.set(task.due);
            }
            task.run();
        }
        clock.set(end);
    }

    /** Runs what is due now (delay 0 tasks), including tasks they schedule with delay 0. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    /** The delay of the next pending task, or null. */
    public synchronized Duration nextDelay() {
        return queue.stream()
                .filter(t -> !t.cancelled)
                .findFirst()
                .map(t -> Duration.between(clock.instant(), t.due))
                .orElse(null);
    }

    /** Every delay passed to {@code schedule}, in order. */
    public synchronized List<Duration> requestedDelays() {
        return List.copyOf(requestedDelays);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Duration d = Duration.ofNanos(unit.toNanos(delay));
        requestedDelays.add(d);
        Task task = new Task(command, clock.instant().plus(d), sequence++);
        queue.add(task);
        return task;
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object>, Runnable {
        static final java.util.Comparator<Task> ORDER =
                java.util.Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq);
        final Runnable command;
        final Instant due;
        final long seq;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable command, Instant due, long seq) {
            this.command = command;
            this.due = due;
            this.seq = seq;
        }

        @Override
        public void run() {
            if (!cancelled) {
                done = true;
                command.run();
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    // ---- unused parts of the interface ----

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the lifecycle must not use periodic tasks");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the lifecycle must not use periodic tasks");
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<?> submit(Runnable task) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws ExecutionException {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }
}
