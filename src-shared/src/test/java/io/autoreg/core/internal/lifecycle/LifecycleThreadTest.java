package io.autoreg.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.log.Log;
import io.autoreg.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default lifecycle scheduler, with real time: every wait is bounded, nothing sleeps. */
class LifecycleThreadTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final LifecycleThread scheduler = new LifecycleThread("lifecycle-test");
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        Log.sink(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        Log.sink(null);
    }

    @Test
    void stepsRunInTheOrderOfTheirDueTimesThenOfScheduling() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        // the thread is held in a first step while the others are queued, so their order is the queue's alone
        scheduler.execute(() -> await(gate));
        scheduler.schedule(() -> ran.add("late"), 150);
        scheduler.schedule(() -> ran.add("soon-1"), 0);
        scheduler.schedule(() -> ran.add("middle"), 50);
        scheduler.execute(() -> ran.add("soon-2"));
        gate.countDown();
        Await.until(BOUND, () -> ran.size() == 4, "all four steps ran");
        assertEquals(List.of("soon-1", "soon-2", "middle", "late"), ran);
    }

    @Test
    void aDelayedStepWaitsForItsDelay() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        long before = System.nanoTime();
        scheduler.schedule(ran::countDown, 100);
        assertTrue(ran.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(100), "not before its due time");
    }

    @Test
    void aCancelledStepNeverRunsAndLeavesTheQueueAtOnce() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        LifecycleScheduler.Cancellable cancelled = scheduler.schedule(() -> ran.add("cancelled"), 100);
        scheduler.schedule(() -> ran.add("kept"), 200);
        assertEquals(2, scheduler.pending());
        cancelled.cancel();
        assertEquals(1, scheduler.pending(), "a heartbeat re-scheduled for days must not pile up cancelled steps");
        Await.until(BOUND, () -> ran.contains("kept"), "the other step ran");
        assertEquals(List.of("kept"), ran);
    }

    @Test
    void aStepThatThrowsIsLoggedAndTheThreadGoesOn() throws InterruptedException {
        CountDownLatch after = new CountDownLatch(1);
        scheduler.execute(() -> {
            throw new IllegalStateException("boom");
        });
        scheduler.execute(after::countDown);
        assertTrue(after.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), "the step after a failing one ran");
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("a lifecycle step failed") && log.contains("boom"), log);
    }

    @Test
    void oneNamedDaemonThreadStartedByTheFirstStep() throws InterruptedException {
        assertTrue(threadsNamed("lifecycle-test").isEmpty(), "no thread before the first step");
        AtomicReference<Thread> runner = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(2);
        Runnable record = () -> {
            runner.compareAndSet(null, Thread.currentThread());
            assertEquals(runner.get(), Thread.currentThread());
            ran.countDown();
        };
        scheduler.execute(record);
        scheduler.schedule(record, 10);
        assertTrue(ran.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("lifecycle-test", runner.get().getName());
        assertTrue(runner.get().isDaemon(), "never keeps the host's JVM alive");
        assertEquals(List.of(runner.get()), threadsNamed("lifecycle-test"));
    }

    @Test
    void shutdownNowDropsPendingStepsInterruptsTheRunningOneAndRefusesNewOnes() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        scheduler.schedule(() -> ran.add("pending"), 50);
        assertTrue(started.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        Thread thread = threadsNamed("lifecycle-test").get(0);
        scheduler.shutdownNow();
        assertTrue(interrupted.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), "the running step was interrupted");
        thread.join(BOUND.toMillis());
        assertTrue(!thread.isAlive(), "the thread ended");
        assertEquals(List.of(), ran, "the pending step was dropped");
        assertThrows(RejectedExecutionException.class, () -> scheduler.execute(() -> ran.add("late")));
        assertThrows(RejectedExecutionException.class, () -> scheduler.schedule(() -> ran.add("late"), 1));
    }

    private static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive())
                .toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
