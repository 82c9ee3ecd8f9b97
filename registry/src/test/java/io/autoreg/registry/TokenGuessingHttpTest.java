package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.support.RawHttp;
import io.autoreg.registry.support.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed {@code /v2.0/tokens} attempts are throttled per client address (5 a minute) and per user (20 a
 * minute): guessing gets 429 with Retry-After until the minute passes, while the right key of a user not
 * under attack is never slowed, and one address alone cannot lock a user out. Client addresses are
 * distinct loopback addresses (127.0.0.x), the minute is a settable clock's.
 */
class TokenGuessingHttpTest {
    @TempDir
    Path data;

    SettableClock clock;
    RegistryServer server;

    @BeforeEach
    void start() {
        clock = new SettableClock();
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .clock(clock)
                .config("autoreg.server.users = [{ username = alice, api-key = alice-key, tenant = \"7777\" },"
                        + " { username = bob, api-key = bob-key, tenant = \"8888\" }]")
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawHttp.Response login(String from, String user, String key) {
        String body = "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"" + user + "\",\"apiKey\":\"" + key
                + "\"}}}";
        try (RawHttp connection = RawHttp.connect(from, server.port())) {
            return connection.exchange(
                    "POST /v2.0/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        }
    }

    private static void assertThrottled(RawHttp.Response answer) {
        assertEquals(429, answer.status(), answer::toString);
        assertEquals("rateLimitReached", answer.json().path("type").asText(), answer::toString);
        assertEquals(429, answer.json().path("code").asInt(), answer::toString);
        long retryAfter = Long.parseLong(answer.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, answer::toString);
    }

    @Test
    void anAddressGuessingIsThrottledAfterFiveFailuresUntilTheMinutePasses() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("127.0.0.2", "alice", "guess-" + i).status());
        }
        assertThrottled(login("127.0.0.2", "alice", "guess-5"));
        assertThrottled(login("127.0.0.2", "alice", "alice-key")); // the guess that would be right is not even tried
        assertThrottled(login("127.0.0.2", "bob", "guess")); // nor another user from the same address
        assertEquals(200, login("127.0.0.3", "alice", "alice-key").status()); // alice elsewhere is not slowed
        clock.advance(Duration.ofSeconds(61));
        assertEquals(200, login("127.0.0.2", "alice", "alice-key").status());
    }

    @Test
    void oneAddressHammeringAUserNeverLocksTheRealUserOut() {
        for (int i = 0; i < 200; i++) {
            int status = login("127.0.0.4", "alice", "guess-" + i).status();
            assertTrue(status == 401 || status == 429, "status " + status);
        }
        for (int minute = 0; minute < 3; minute++) {
            assertEquals(200, login("127.0.0.5", "alice", "alice-key").status(), "minute " + minute);
            clock.advance(Duration.ofSeconds(61));
            for (int i = 0; i < 10; i++) {
                login("127.0.0.4", "alice", "guess-again-" + i);
            }
        }
    }

    @Test
    void manyAddressesGuessingOneUserThrottleThatUserForTheMinuteOnly() {
        for (int address = 10; address < 14; address++) {
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        401,
                        login("127.0.0." + address, "alice", "guess-" + address + "-" + i)
                                .status());
            }
        }
        assertThrottled(login("127.0.0.20", "alice", "guess-distributed"));
        assertThrottled(login("127.0.0.21", "alice", "alice-key"));
        assertEquals(200, login("127.0.0.21", "bob", "bob-key").status());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(200, login("127.0.0.21", "alice", "alice-key").status());
    }

    @Test
    void theRightKeyIsNeverCountedAndFailuresOfOthersDoNotSlowIt() {
        for (int i = 0; i < 50; i++) {
            assertEquals(200, login("127.0.0.30", "alice", "alice-key").status(), "login " + i);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(401, login("127.0.0.31", "bob", "guess-" + i).status());
        }
        assertEquals(200, login("127.0.0.31", "bob", "bob-key").status());
    }
}
