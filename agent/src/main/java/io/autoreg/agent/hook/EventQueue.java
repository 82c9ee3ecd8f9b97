package io.autoreg.agent.hook;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The agent's inbox: hook events offered by the application's threads, taken one at a time by the agent's
 * thread. Bounded ({@link #offer} drops when full and never blocks, never throws), and built on a plain
 * monitor rather than {@link java.util.concurrent.LinkedBlockingQueue}: on JDK 17 a blocking {@code take()} on
 * an AQS condition initialises {@link java.util.concurrent.ForkJoinPool} (its common pool's set-up), which
 * a host app that never uses it would pay for at start-up.
 */
public final class EventQueue extends AbstractQueue<Object> {

    private final int capacity;
    private final ArrayDeque<Object> items = new ArrayDeque<>();

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
        return true;
    }

    /** Waits for the next item. */
    public synchronized Object take() throws InterruptedException {
        while (items.isEmpty()) {
            wait();
        }
        return items.pollFirst();
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
}
