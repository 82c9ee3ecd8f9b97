package io.autoreg.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * When an entry refused as a duplicate may be one a creation of ours made, its answer lost (until send time + T), and
 * what {@link LostCreations#create} does then, with each client's requests scripted.
 */
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

    @Test
    void aCreationAnsweredIsReturnedAndNothingIsLooked() throws IOException {
        ScriptedCreation creation = new ScriptedCreation("token-1");
        assertEquals("token-1", lost.create(creation));
        assertEquals(List.of("send"), creation.calls);
    }

    @Test
    void anEntryOfOursLeftByALostCreationIsDeletedAndCreatedAgain() throws IOException {
        ScriptedCreation creation = new ScriptedCreation(new IOException("timeout"), null, "token-2");
        creation.entry = LostCreations.Entry.OURS;
        assertThrows(IOException.class, () -> lost.create(creation), "the lost creation's own failure");
        assertEquals("token-2", lost.create(creation));
        assertEquals(List.of("send", "send", "look", "delete", "send"), creation.calls);
    }

    @Test
    void anEntryGoneMeanwhileIsCreatedWithoutADelete() throws IOException {
        ScriptedCreation creation = new ScriptedCreation(new IOException("cut"), null, "token-2");
        creation.entry = LostCreations.Entry.GONE;
        assertThrows(IOException.class, () -> lost.create(creation));
        assertEquals("token-2", lost.create(creation));
        assertEquals(List.of("send", "send", "look", "send"), creation.calls);
    }

    @Test
    void anotherInstancesEntryIsLeftAloneAndTheIdForgotten() throws IOException {
        ScriptedCreation creation = new ScriptedCreation(new IOException("timeout"), null, null);
        creation.entry = LostCreations.Entry.ANOTHER;
        assertThrows(IOException.class, () -> lost.create(creation));
        assertNull(lost.create(creation), "refused as existing: the caller retries until it expires");
        assertNull(lost.create(creation));
        assertEquals(List.of("send", "send", "look", "send"), creation.calls, "looked at once, never deleted");
    }

    @Test
    void aFailureThatAppliedNothingOrAWindowOverMeansADuplicateIsNotOurs() throws IOException {
        ScriptedCreation refused = new ScriptedCreation(new IOException("403"), null);
        refused.applied = false;
        assertThrows(IOException.class, () -> lost.create(refused));
        assertNull(lost.create(refused));
        assertEquals(List.of("send", "send"), refused.calls, "a refusal applied nothing: no look");

        ScriptedCreation late = new ScriptedCreation(new IOException("timeout"), null);
        assertThrows(IOException.class, () -> lost.create(late));
        clock.addAndGet(10 * SECOND); // the entry it may have made may have expired and the id gone to another
        assertNull(lost.create(late));
        assertEquals(List.of("send", "send"), late.calls);
    }

    /** Sends answer from a script (a value, null for "exists", or a failure); every call is recorded. */
    private static final class ScriptedCreation implements LostCreations.Creation<String> {
        /** Stands for null in the script (a deque holds no null). */
        private static final Object NULL = new Object();

        private final Deque<Object> answers = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        LostCreations.Entry entry = LostCreations.Entry.ANOTHER;
        boolean applied = true;

        ScriptedCreation(Object... answers) {
            for (Object answer : answers) {
                this.answers.add(answer == null ? NULL : answer);
            }
        }

        @Override
        public String id() {
            return "a";
        }

        @Override
        public Duration timeout() {
            return TEN_SECONDS;
        }

        @Override
        public String send(long sentAt) throws IOException {
            calls.add("send");
            Object answer = answers.remove();
            if (answer instanceof IOException failure) {
                throw failure;
            }
            return answer == NULL ? null : (String) answer;
        }

        @Override
        public boolean mayHaveApplied(IOException failure) {
            return applied;
        }

        @Override
        public LostCreations.Entry look() {
            calls.add("look");
            return entry;
        }

        @Override
        public void delete() {
            calls.add("delete");
        }
    }
}
