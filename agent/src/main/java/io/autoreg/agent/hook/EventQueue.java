package io.autoreg.agent.hook;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The agent's inbox: hook events offered by the application's threads, taken one at a time by the agent's
 * thread. Bounded ({@link #offer} drops when full and never blocks, never throws), and built on a plain
 * monitor rather than {@link java.util.concurrent.LinkedBlockingQueue}: on JDK 17 a blocking {@code take()} on
 * an AQS condition initialises {@link java.util.concurrent.ForkJoinPool} (its common pool's set-up), which
 * a host app that never uses it would pay for at start-up.
 *
 * <p>It is also the agent thread's timer ({@link #schedule}): the start-up watch's looks, the re-reads of
 * {@code /proc} after an unknown close and the readiness probes are tasks due at a time, so the agent runs
 * one thread of its own instead of one per timer (docs/architecture.md, "The agent"). Scheduled tasks do not
 * count against the capacity, which bounds what the application's threads can offer.
 */
public final class EventQueue extends AbstractQueue<Object> {

    private final int capacity;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    /** Created at the first {@link #schedule}: a JVM whose agent never schedules never loads it. */
    private PriorityQueue<Scheduled> scheduled;

    private long scheduledCount;
    /** A consumer to start at the next item offered or task scheduled ({@link #startAtFirstItem}); null if none. */
    private Thread startAtFirstItem;

    public EventQueue(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean offer(Object item) {
        if (item == null || items.size() >= capacity) {
            return false;
        }
        items.addLast(item);
        notifyAll();
        if (startAtFirstItem != null) {
            startWaitingConsumer();
        }
        return true;
    }

    /**
     * Starts {@code consumer} when an item is offered or a task scheduled, or now if one is waiting: the agent's
     * thread when it has not started yet, or has ended, while the hooks report here — the first bind of a patched
     * JDK class, the first hooked class loaded ({@link LateHookRequest}) or the runtime's start then starts it.
     * An offer that starts it runs on an application thread, so the start never throws there.
     */
    public synchronized void startAtFirstItem(Thread consumer) {
        startAtFirstItem = consumer;
        if (!items.isEmpty() || hasScheduled()) {
            startWaitingConsumer();
        }
    }

    private void startWaitingConsumer() {
        Thread consumer = startAtFirstItem;
        startAtFirstItem = null;
        startQuietly(consumer);
    }

    /** Starts a thread unless it was started already; never throws (an offer must not throw into the application). */
    private static void startQuietly(Thread thread) {
        try {
            if (thread.getState() == Thread.State.NEW) {
                thread.start();
            }
        } catch (IllegalThreadStateException startedMeanwhile) {
            // another path started it between the test and the start
        } catch (RuntimeException | OutOfMemoryError e) {
            // no thread left to create: the events wait in the bounded queue
        }
    }

    /**
     * Runs {@code task} on the thread that {@link #take}s, after {@code delayMillis} (tasks due at the same time
     * in the order scheduled). Not for the application's threads: unbounded, but only the agent schedules.
     */
    public synchronized void schedule(long delayMillis, Runnable task) {
        if (scheduled == null) {
            scheduled = new PriorityQueue<>();
        }
        scheduled.add(new Scheduled(System.nanoTime() + Math.max(0, delayMillis) * 1_000_000L, scheduledCount++, task));
        notifyAll();
        if (startAtFirstItem != null) {
            startWaitingConsumer();
        }
    }

    /** Waits for the next item: a scheduled task that is due, else the oldest offered item. */
    public synchronized Object take() throws InterruptedException {
        while (true) {
            long waitNanos = 0;
            if (scheduled != null && !scheduled.isEmpty()) {
                waitNanos = scheduled.peek().dueNanos - System.nanoTime();
                if (waitNanos <= 0) {
                    return scheduled.poll().task;
                }
            }
            if (!items.isEmpty()) {
                return items.pollFirst();
            }
            if (waitNanos > 0) {
                // rounded up: a wait that ends a little early would only spin once more
                wait(waitNanos / 1_000_000L + 1);
            } else {
                wait();
            }
        }
    }

    /** Whether a task is scheduled and not yet taken. */
    public synchronized boolean hasScheduled() {
        return scheduled != null && !scheduled.isEmpty();
    }

    @Override
    public synchronized Object poll() {
        return items.pollFirst();
    }

    @Override
    public synchronized Object peek() {
        return items.peekFirst();
    }

    @Override
    public synchronized int size() {
        return items.size();
    }

    /** A snapshot: the queue is shared with the application's threads. */
    @Override
    public synchronized Iterator<Object> iterator() {
        return List.copyOf(items).iterator();
    }

    /** A task and when it is due; ordered by due time, then by the order of scheduling. */
    private static final class Scheduled implements Comparable<Scheduled> {
        private final long dueNanos;
        private final long sequence;
        private final Runnable task;

        Scheduled(long dueNanos, long sequence, Runnable task) {
            this.dueNanos = dueNanos;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Scheduled other) {
            int byDue = Long.compare(dueNanos - other.dueNanos, 0);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
