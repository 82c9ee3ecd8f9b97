package io.autoreg.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a turned-down token proves the entry is still ours: until the last request that may have renewed it + T. */
class TokenChainTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    private TokenChain chain(String token, long createdAt) {
        return new TokenChain(token, Duration.ofSeconds(10), createdAt, clock::get);
    }

    @Test
    void theEntryIsOursUntilItsTimeoutAfterTheCreationWasSent() {
        TokenChain chain = chain("t0", clock.get());
        assertEquals("t0", chain.token());
        clock.addAndGet(10 * SECOND - 1);
        assertTrue(chain.entryIsStillOurs());
        clock.addAndGet(1);
        assertFalse(chain.entryIsStillOurs(), "it may have expired and the id gone to another instance");
    }

    @Test
    void anAnsweredHeartbeatCountsFromWhenItWasSentNotAnswered() {
        TokenChain chain = chain("t0", clock.get());
        long sent = clock.addAndGet(6 * SECOND);
        clock.addAndGet(3 * SECOND); // a slow answer
        chain.renewed("t1", sent);
        assertEquals("t1", chain.token());
        clock.set(sent + 10 * SECOND - 1);
        assertTrue(chain.entryIsStillOurs());
        clock.set(sent + 10 * SECOND);
        assertFalse(chain.entryIsStillOurs());
    }

    @Test
    void anUnansweredHeartbeatMayHaveRenewedTheEntryAndKeepsTheToken() {
        TokenChain chain = chain("t0", clock.get());
        long sent = clock.addAndGet(8 * SECOND);
        chain.unanswered(sent);
        assertEquals("t0", chain.token(), "no answer, no next token");
        clock.set(sent + 9 * SECOND);
        assertTrue(chain.entryIsStillOurs(), "the lost heartbeat's deadline, not the creation's");
    }

    @Test
    void anOlderSendTimeNeverShortensTheWindow() {
        TokenChain chain = chain("t0", clock.get());
        long early = clock.get() + SECOND;
        long late = clock.addAndGet(5 * SECOND);
        chain.unanswered(late);
        chain.renewed("t1", early); // the window only ever moves forward
        clock.set(late + 10 * SECOND - 1);
        assertTrue(chain.entryIsStillOurs());
    }

    @Test
    void aTurnedDownTokenDeletesTheEntryOnlyWhileItIsStillOursAndSaysSo() {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Log.sink(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            TokenChain chain = chain("t0", clock.get());
            assertFalse(chain.deleteBeforeCreatingAgain(false, "service a-1"), "a 404 naming the service: gone");
            assertEquals("", logged.toString(StandardCharsets.UTF_8));
            assertTrue(chain.deleteBeforeCreatingAgain(true, "service a-1"));
            assertTrue(
                    logged.toString(StandardCharsets.UTF_8)
                            .contains("heartbeat token of service a-1: the answer to an earlier heartbeat was lost"),
                    logged.toString(StandardCharsets.UTF_8));
            clock.addAndGet(10 * SECOND);
            assertFalse(chain.deleteBeforeCreatingAgain(true, "service a-1"), "perhaps another instance's by now");
        } finally {
            Log.sink(null);
        }
    }

    @Test
    void onlyAFaultNamingTheHeartbeatMarkerIsAboutTheToken() {
        assertTrue(TokenChain.turnsDownTheToken("Object \"HeartbeatMarker\" with key \"6f1c…\" does not exist"));
        assertFalse(TokenChain.turnsDownTheToken("Object \"Service\" with key \"orders-1\" does not exist"));
        assertFalse(
                TokenChain.turnsDownTheToken("Object \"Service\" with key \"HeartbeatMarker\" does not exist"),
                "a service may be called so");
        assertFalse(TokenChain.turnsDownTheToken(null));
    }
}
