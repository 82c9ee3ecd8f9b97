package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent's inbox: bounded, first in first out, offer never blocks, take waits for the next item. */
class EventQueueTest {

    @Test
    void offersBeyondTheCapacityAreDroppedNotBlocked() {
        EventQueue queue = new EventQueue(2);
        assertTrue(queue.offer("a"));
        assertTrue(queue.offer("b"));
        assertFalse(queue.offer("c"), "full: dropped");
        assertFalse(queue.offer(null), "null is never queued");
        assertEquals(2, queue.size());
        assertEquals(List.of("a", "b"), List.copyOf(queue));
        assertEquals("a", queue.peek());
        assertEquals("a", queue.poll());
        assertEquals("b", queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void takeWaitsForTheNextOfferFromAnotherThread() throws Exception {
        EventQueue queue = new EventQueue(4);
        CompletableFuture<Object> taken = new CompletableFuture<>();
        Thread taker = new Thread(
                () -> {
                    try {
                        taken.complete(queue.take());
                    } catch (InterruptedException e) {
                        taken.completeExceptionally(e);
                    }
                },
                "taker");
        taker.setDaemon(true);
        taker.start();
        assertFalse(taken.isDone());
        queue.offer("bind");
        assertEquals("bind", taken.get(5, TimeUnit.SECONDS));
        taker.join(5000);
    }

    @Test
    void takeIsInterruptible() throws Exception {
        EventQueue queue = new EventQueue(4);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread taker = new Thread(
                () -> {
                    try {
                        queue.take();
                        interrupted.complete(false);
                    } catch (InterruptedException e) {
                        interrupted.complete(true);
                    }
                },
                "taker");
        taker.setDaemon(true);
        taker.start();
        taker.interrupt();
        assertTrue(interrupted.get(5, TimeUnit.SECONDS), "take() ends with InterruptedException");
    }

    @Test
    void clearEmptiesIt() {
        EventQueue queue = new EventQueue(4);
        queue.offer("a");
        queue.offer("b");
        queue.clear();
        assertTrue(queue.isEmpty());
        assertTrue(queue.offer("c"), "room again");
    }

    @Test
    void scheduledTasksAreTakenWhenDueInDueOrderBeforeWaitingItems() throws Exception {
        EventQueue queue = new EventQueue(4);
        Runnable late = () -> {};
        Runnable soon = () -> {};
        Runnable now = () -> {};
        long start = System.nanoTime();
        queue.schedule(300, late);
        queue.schedule(100, soon);
        assertTrue(queue.hasScheduled());
        assertTrue(queue.offer("event"));
        assertEquals("event", queue.take(), "an offered item is not held back by tasks not yet due");
        assertEquals(soon, queue.take());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100), "not before it is due");
        queue.schedule(0, now);
        assertEquals(now, queue.take(), "a task due now comes before one due later");
        assertEquals(late, queue.take());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "not before it is due");
        assertFalse(queue.hasScheduled());
        assertEquals(0, queue.size(), "scheduled tasks are not offered items");
    }

    @Test
    void aTaskScheduledFromAnotherThreadWakesATakeWaitingForever() throws Exception {
        EventQueue queue = new EventQueue(4);
        CompletableFuture<Object> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(queue.take());
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        taker.start();
        Runnable task = () -> {};
        queue.schedule(50, task);
        assertEquals(task, taken.get(5, TimeUnit.SECONDS));
        taker.join(5000);
    }
    /** After the start-up watch gave up, the first event of a patched JDK class starts the agent's next thread. */
    @Test
    void theFirstOfferStartsTheWaitingConsumerOnceAndNeverThrows() throws Exception {
        EventQueue queue = new EventQueue(4);
        CompletableFuture<Object> taken = new CompletableFuture<>();
        Thread consumer = takerOfOne(queue, taken);
        queue.startAtFirstItem(consumer);
        assertEquals(Thread.State.NEW, consumer.getState(), "nothing offered yet: not started");
        assertTrue(queue.offer("bind"));
        assertEquals("bind", taken.get(10, TimeUnit.SECONDS));
        consumer.join(10_000);
        assertTrue(queue.offer("later"), "no consumer waits any more: a plain offer");
        queue.startAtFirstItem(consumer); // a thread that has run already is never started again
        assertEquals(Thread.State.TERMINATED, consumer.getState());
    }

    @Test
    void aConsumerHandedOverWhileItemsWaitStartsAtOnce() throws Exception {
        EventQueue queue = new EventQueue(4);
        queue.offer("bind");
        CompletableFuture<Object> taken = new CompletableFuture<>();
        Thread consumer = takerOfOne(queue, taken);
        queue.startAtFirstItem(consumer);
        assertEquals("bind", taken.get(10, TimeUnit.SECONDS));
    }

    /** A thread, not started, that takes one item from the queue into {@code taken}. */
    private static Thread takerOfOne(EventQueue queue, CompletableFuture<Object> taken) {
        return new Thread(() -> {
            try {
                taken.complete(queue.take());
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
    }
}
