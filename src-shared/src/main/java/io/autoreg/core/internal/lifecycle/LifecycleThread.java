package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.log.Log;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The default {@link LifecycleScheduler}: one daemon thread, started with the first step, that runs steps in the
 * order of their due times (then of scheduling). A cancelled step leaves the queue at once, so that a
 * registration re-scheduled at every heartbeat for days keeps the queue at its number of registrations. A step
 * that throws is logged and the thread goes on: a heartbeat thread that dies quietly is how instances vanish
 * from registries in other tools.
 *
 * <p>Plain monitors and a {@link PriorityQueue} (which the agent loads anyway), not a
 * {@code ScheduledThreadPoolExecutor}: see {@link LifecycleScheduler}.
 */
final class LifecycleThread implements LifecycleScheduler, Runnable {

    private final String name;
    private final PriorityQueue<Step> steps = new PriorityQueue<>();
    private Thread thread;
    private long sequence;
    private boolean shutdown;

    LifecycleThread(String name) {
        this.name = name;
    }

    @Override
    public Cancellable schedule(Runnable step, long delayMillis) {
        long due = System.nanoTime() + Math.max(0, Math.min(delayMillis, Long.MAX_VALUE / 4_000_000L)) * 1_000_000L;
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            Step scheduled = new Step(this, step, due, sequence++);
            steps.add(scheduled);
            if (thread == null) {
                thread = new Thread(this, name);
                thread.setDaemon(true);
                thread.start();
            }
            notifyAll();
            return scheduled;
        }
    }

    @Override
    public void execute(Runnable step) {
        schedule(step, 0);
    }

    @Override
    public synchronized void shutdownNow() {
        shutdown = true;
        steps.clear();
        if (thread != null) {
            thread.interrupt();
        }
        notifyAll();
    }

    /** Steps waiting (cancelled ones are gone at once). */
    synchronized int pending() {
        return steps.size();
    }

    private synchronized void cancel(Step step) {
        steps.remove(step);
    }

    @Override
    public void run() {
        while (true) {
            Runnable next;
            try {
                next = take();
            } catch (InterruptedException e) {
                return; // shut down
            }
            if (next == null) {
                return;
            }
            try {
                next.run();
            } catch (Throwable t) {
                Log.warn("a lifecycle step failed; the others go on", t);
            }
        }
    }

    /** The next due step, waiting for it; null once shut down. */
    private synchronized Runnable take() throws InterruptedException {
        while (!shutdown) {
            Step head = steps.peek();
            if (head == null) {
                wait();
                continue;
            }
            long waitNanos = head.due - System.nanoTime();
            if (waitNanos <= 0) {
                steps.poll();
                return head.task;
            }
            wait(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
        }
        return null;
    }

    private static final class Step implements Cancellable, Comparable<Step> {
        private final LifecycleThread owner;
        private final Runnable task;
        private final long due;
        private final long sequence;

        Step(LifecycleThread owner, Runnable task, long due, long sequence) {
            this.owner = owner;
            this.task = task;
            this.due = due;
            this.sequence = sequence;
        }

        @Override
        public void cancel() {
            owner.cancel(this);
        }

        @Override
        public int compareTo(Step other) {
            // nanoTime values are compared by their difference (they may wrap)
            int byDue = Long.signum(due - other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
