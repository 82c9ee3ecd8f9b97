package io.autoreg.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.http.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Grouped long polls: one render per group, one timer wheel, and clients that left are neither rendered nor kept. */
class LongPollsTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final LongPolls polls = new LongPolls(now::get);

    @AfterEach
    void stop() {
        polls.close();
    }

    /** A feed whose "newer" is switched by the test, counting its renders. */
    private static final class FakeFeed implements LongPolls.Feed {
        final AtomicBoolean newer = new AtomicBoolean();
        final AtomicInteger renders = new AtomicInteger();
        final String name;

        FakeFeed(String name) {
            this.name = name;
        }

        @Override
        public boolean hasNewer() {
            return newer.get();
        }

        @Override
        public String page() {
            renders.incrementAndGet();
            return "{\"page\":\"" + name + "\",\"newer\":" + newer.get() + "}";
        }
    }

    private static String body(CompletableFuture<Reply> answer) throws Exception {
        return new String(answer.get(10, TimeUnit.SECONDS).utf8(), StandardCharsets.UTF_8);
    }

    @Test
    void thousandsOfPollsOnOneMarkerGetOneRenderOfTheirPage() throws Exception {
        FakeFeed a = new FakeFeed("a");
        FakeFeed b = new FakeFeed("b");
        List<CompletableFuture<Reply>> onA = new ArrayList<>();
        List<CompletableFuture<Reply>> onB = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            onA.add(polls.park("t", "marker-a", () -> a, now.get() + 30_000, () -> true));
            onB.add(polls.park("t", "marker-b", () -> b, now.get() + 30_000, () -> true));
        }
        assertEquals(10_000, polls.parked());
        a.newer.set(true);
        polls.changed("t");
        Reply first = onA.get(0).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Reply> answer : onA) {
            assertSame(first, answer.get(10, TimeUnit.SECONDS), "every poll of the group gets the same rendered page");
        }
        assertEquals("{\"page\":\"a\",\"newer\":true}", body(onA.get(4_999)));
        assertEquals(1, a.renders.get());
        assertEquals(0, b.renders.get(), "a group with nothing new is neither rendered nor answered");
        assertTrue(onB.stream().noneMatch(CompletableFuture::isDone));
        assertEquals(5_000, polls.parked());
    }

    @Test
    void aPollAfterTheAnswerStartsANewGroupAndIsAnsweredByTheNextChange() throws Exception {
        FakeFeed feed = new FakeFeed("a");
        CompletableFuture<Reply> first = polls.park("t", "k", () -> feed, now.get() + 30_000, () -> true);
        feed.newer.set(true);
        polls.changed("t");
        body(first);
        feed.newer.set(false);
        CompletableFuture<Reply> second = polls.park("t", "k", () -> feed, now.get() + 30_000, () -> true);
        assertFalse(second.isDone());
        feed.newer.set(true);
        polls.changed("t");
        assertEquals("{\"page\":\"a\",\"newer\":true}", body(second));
    }

    @Test
    void aChangeBeforeTheParkIsNotMissed() throws Exception {
        FakeFeed feed = new FakeFeed("a");
        feed.newer.set(true); // the event came between the route's check and the park
        CompletableFuture<Reply> poll = polls.park("t", "k", () -> feed, now.get() + 30_000, () -> true);
        assertEquals("{\"page\":\"a\",\"newer\":true}", body(poll));
    }

    @Test
    void waitsEndOnTheSharedWheelWithOneRenderPerGroup() throws Exception {
        FakeFeed feed = new FakeFeed("a");
        List<CompletableFuture<Reply>> answers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            answers.add(polls.park("t", "k", () -> feed, now.get() + 300, () -> true));
        }
        CompletableFuture<Reply> later = polls.park("t", "k", () -> feed, now.get() + 60_000, () -> true);
        // The test clock stands still: nothing ends until it reaches the polls' deadline, whatever the wheel's
        // real-time ticks (parking 1,000 polls on a loaded machine spans several of them).
        long parkedBy = System.nanoTime();
        while (System.nanoTime() - parkedBy < TimeUnit.MILLISECONDS.toNanos(400)) {
            assertFalse(answers.get(0).isDone());
            Thread.sleep(20);
        }
        now.addAndGet(300);
        for (CompletableFuture<Reply> answer : answers) {
            assertEquals("{\"page\":\"a\",\"newer\":false}", body(answer));
        }
        assertEquals(1, feed.renders.get(), "the 1,000 timed-out polls of one group share one render");
        assertFalse(later.isDone());
        assertEquals(1, polls.parked());
    }

    @Test
    void answeredPollsLeaveTheWheelAsTheirClientsPollAgain() throws Exception {
        FakeFeed answered = new FakeFeed("answered");
        FakeFeed waiting = new FakeFeed("waiting");
        FakeFeed again = new FakeFeed("again");
        List<CompletableFuture<Reply>> onAnswered = new ArrayList<>();
        List<CompletableFuture<Reply>> onWaiting = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            onAnswered.add(polls.park("t", "answered", () -> answered, now.get() + 60_000, () -> true));
            onWaiting.add(polls.park("t", "waiting", () -> waiting, now.get() + 60_000, () -> true));
        }
        answered.newer.set(true);
        polls.changed("t");
        for (CompletableFuture<Reply> answer : onAnswered) {
            body(answer);
        }
        // Their waits end in a minute (the test clock stands still: never). More polls coming in than the wheel held
        // at any sweep (and than the floor) make the long-poll thread sweep at least once after the answer, as the
        // re-polls after an event do; whenever that sweep ran, the answered polls are gone and nothing else is.
        int repolls = LongPolls.SWEEP_FLOOR + 2_000 + 1;
        for (int i = 0; i < repolls; i++) {
            polls.park("t", "again", () -> again, now.get() + 60_000, () -> true);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (polls.wheelEntries() > 1_000 + repolls && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1_000 + repolls, polls.wheelEntries(), "only the polls still waiting stay in the wheel");
        assertEquals(1_000 + repolls, polls.parked());
        waiting.newer.set(true);
        polls.changed("t");
        for (CompletableFuture<Reply> answer : onWaiting) {
            assertEquals(
                    "{\"page\":\"waiting\",\"newer\":true}", body(answer), "the polls kept are answered as before");
        }
    }

    @Test
    void aClientThatLeftIsFreedAndNotRendered() throws Exception {
        FakeFeed feed = new FakeFeed("a");
        AtomicBoolean open = new AtomicBoolean(true);
        CompletableFuture<Reply> gone = polls.park("t", "k", () -> feed, now.get() + 200, open::get);
        open.set(false);
        now.addAndGet(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (polls.parked() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, polls.parked(), "the slot of a client that left is freed");
        assertEquals(0, feed.renders.get(), "no page is rendered for nobody");
        assertFalse(gone.isDone());
    }
}
