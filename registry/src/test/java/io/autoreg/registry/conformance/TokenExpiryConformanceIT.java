package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;

import io.autoreg.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** docs/api.md §7 An issued token expires: the server then answers 401, and a new authentication works again. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenExpiryConformanceIT {
    private ConformanceServer server;

    @BeforeAll
    void startAServerWithShortLivedTokens() {
        server = ConformanceServer.startWith(AuthConformanceIT.USERS + ", token-ttl = 2s }");
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anExpiredTokenIsUnauthorizedAndReauthenticatingWorks() {
        RegistryHttp anonymous = server.http();
        String token = AuthConformanceIT.tokenOf(AuthConformanceIT.authenticate(anonymous, "alice", "alice-key"));
        RegistryHttp alice = anonymous.tenant("7777").token(token);
        assertStatus(200, alice.get("/services"));
        Await.until(Duration.ofSeconds(6), () -> alice.get("/services").status() == 401, "the token expired");
        Answer expired = alice.get("/services");
        assertFault(expired, 401, "unauthorizedError");
        String fresh = AuthConformanceIT.tokenOf(AuthConformanceIT.authenticate(anonymous, "alice", "alice-key"));
        assertStatus(200, anonymous.tenant("7777").token(fresh).get("/services"));
    }
}
