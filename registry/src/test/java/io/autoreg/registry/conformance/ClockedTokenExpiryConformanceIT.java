package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md §7 A token from {@code POST /v2.0/tokens} is accepted until the instant it states in
 * {@code access.token.expires}; from that instant on the server answers 401 with the fault body and
 * {@code WWW-Authenticate}, and authenticating again gives a token that works.
 */
class ClockedTokenExpiryConformanceIT extends ClockedConformanceBase {
    private static final Duration TTL = Duration.ofHours(1);

    @Override
    protected String serverConfig() {
        return AuthConformanceIT.USERS + ", token-ttl = 1h }";
    }

    @Test
    void aTokenWorksUntilItsStatedExpiryAndIsUnauthorizedFromThen() {
        RegistryHttp anonymous = server.http();
        long issuedAt = clock.millis();
        Answer auth = AuthConformanceIT.authenticate(anonymous, "alice", "alice-key");
        String token = AuthConformanceIT.tokenOf(auth);
        Instant expires = Instant.parse(
                auth.json().path("access").path("token").path("expires").asText());
        // now + token-ttl within the second: the server aligns expiries so that the original Java client's
        // misreading of the milliseconds as seconds lands on the right second (see TokenExpiry).
        long stated = expires.toEpochMilli();
        assertEquals((issuedAt + TTL.toMillis()) / 1000, stated / 1000, "expires is the server's now + token-ttl");
        assertEquals((stated / 1000) % 60, stated % 1000, "expires carries its second's number as milliseconds");
        RegistryHttp alice = anonymous.tenant("7777").token(token);

        clock.advanceTo(expires.toEpochMilli() - 1);
        assertStatus(200, alice.get("/services"));

        clock.advanceTo(expires.toEpochMilli());
        Answer expired = alice.get("/services");
        assertFault(expired, 401, "unauthorizedError");
        assertTrue(expired.header("WWW-Authenticate").isPresent(), expired::toString);
        assertFault(
                alice.post("/services", RegistryHttp.json("id", "after-expiry", "heartbeat_timeout", 10)),
                401,
                "unauthorizedError");

        String fresh = AuthConformanceIT.tokenOf(AuthConformanceIT.authenticate(anonymous, "alice", "alice-key"));
        assertStatus(200, anonymous.tenant("7777").token(fresh).get("/services"));
    }

    @Test
    void staticTokensDoNotExpire() {
        RegistryHttp ci = server.http().tenant("9999").token("static-ci-token");
        assertStatus(200, ci.get("/services"));
        clock.advance(Duration.ofDays(400));
        assertStatus(200, ci.get("/services"));
    }
}
