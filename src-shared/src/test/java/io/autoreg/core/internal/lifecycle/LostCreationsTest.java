package io.autoreg.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When an entry refused as a duplicate may be one a creation of ours made, its answer lost: until send time + T. */
class LostCreationsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final LostCreations lost = new LostCreations(clock::get);

    @Test
    void nothingLostNothingOurs() {
        assertFalse(lost.mayHaveMade("a", TEN_SECONDS), "a duplicate with no lost creation is another's, or stale");
    }

    @Test
    void aLostCreationMayHaveMadeTheEntryUntilItsTimeoutAfterItWasSent() {
        long sent = clock.get();
        clock.addAndGet(2 * SECOND); // the creation timed out after two seconds
        lost.unanswered("a", sent);
        clock.set(sent + 10 * SECOND - 1);
        assertTrue(lost.mayHaveMade("a", TEN_SECONDS));
        assertFalse(lost.mayHaveMade("b", TEN_SECONDS), "per id");
        clock.incrementAndGet();
        assertFalse(lost.mayHaveMade("a", TEN_SECONDS), "it may have expired and the id gone to another instance");
        assertFalse(lost.mayHaveMade("a", Duration.ofSeconds(60)), "forgotten once its window was over");
    }

    @Test
    void theLatestLostCreationCounts() {
        long first = clock.get();
        lost.unanswered("a", first);
        long second = clock.addAndGet(5 * SECOND);
        lost.unanswered("a", second);
        lost.unanswered("a", first); // a late report of the older one moves nothing
        clock.set(second + 9 * SECOND);
        assertTrue(lost.mayHaveMade("a", TEN_SECONDS));
    }

    @Test
    void anAnsweredCreationClearsTheId() {
        lost.unanswered("a", clock.get());
        lost.answered("a");
        assertFalse(lost.mayHaveMade("a", TEN_SECONDS), "created, or refused for good: nothing of ours is lost");
    }

    @Test
    void idsWhoseWindowIsOverAreDroppedWhenAnotherIsLost() {
        lost.unanswered("a", clock.get());
        clock.addAndGet(120 * SECOND);
        lost.unanswered("b", clock.get());
        assertFalse(lost.mayHaveMade("a", Duration.ofSeconds(120)), "no window outlasts the longest timeout");
        assertTrue(lost.mayHaveMade("b", Duration.ofSeconds(120)));
    }
}
