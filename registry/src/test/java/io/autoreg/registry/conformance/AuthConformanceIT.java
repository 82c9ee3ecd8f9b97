package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** docs/api.md §1 and §7 Authentication: /v2.0/tokens, static tokens, 401 and 403, tenant isolation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthConformanceIT {
    static final String USERS = "autoreg.server { users = ["
            + "{ username = alice, api-key = alice-key, tenant = \"7777\" },"
            + "{ username = bob, api-key = bob-key, tenant = \"8888\" } ],"
            + " tokens { static-ci-token = \"9999\" }";
    private ConformanceServer server;
    private RegistryHttp anonymous;

    @BeforeAll
    void startAServerWithUsersAndTokens() {
        server = ConformanceServer.startWith(USERS + ", token-ttl = 1h }");
        anonymous = server.http();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static Answer authenticate(RegistryHttp http, String username, String apiKey) {
        return http.send(
                "POST",
                "/v2.0/tokens",
                json("auth", Map.of("RAX-KSKEY:apiKeyCredentials", Map.of("username", username, "apiKey", apiKey))),
                RegistryHttp.JSON,
                Map.of());
    }

    static String tokenOf(Answer answer) {
        assertStatus(200, answer);
        return answer.json().path("access").path("token").path("id").asText();
    }

    @Test
    void aConfiguredUserObtainsATokenWithExpiryAndTenant() {
        Instant before = Instant.now();
        Answer answer = authenticate(anonymous, "alice", "alice-key");
        assertStatus(200, answer);
        JsonNode token = answer.json().path("access").path("token");
        assertTrue(!token.path("id").asText().isEmpty(), answer::toString);
        assertEquals("7777", token.path("tenant").path("id").asText());
        Instant expires = OffsetDateTime.parse(token.path("expires").asText()).toInstant();
        assertTrue(
                !expires.isBefore(before.plus(Duration.ofMinutes(59)))
                        && expires.isBefore(before.plus(Duration.ofMinutes(61))),
                "expires " + expires);
    }

    @Test
    void anIssuedTokenOpensItsOwnTenant() {
        RegistryHttp alice = anonymous.tenant("7777").token(tokenOf(authenticate(anonymous, "alice", "alice-key")));
        assertStatus(201, alice.post("/services", json("id", "svc-alice", "heartbeat_timeout", 60)));
        assertStatus(200, alice.get("/services/svc-alice"));
    }

    @Test
    void aWrongApiKeyOrUnknownUserIsUnauthorized() {
        assertFault(authenticate(anonymous, "alice", "wrong"), 401, "unauthorizedError");
        assertFault(authenticate(anonymous, "mallory", "alice-key"), 401, "unauthorizedError");
    }

    @Test
    void aMalformedAuthenticationRequestIsABadRequest() {
        assertFault(
                anonymous.send("POST", "/v2.0/tokens", "{\"auth\":", RegistryHttp.JSON, Map.of()), 400, "badRequest");
        assertFault(
                anonymous.send("POST", "/v2.0/tokens", "{\"auth\":{}}", RegistryHttp.JSON, Map.of()),
                400,
                "badRequest");
    }

    @Test
    void aMissingTokenIsUnauthorizedWithWwwAuthenticate() {
        Answer answer = anonymous.tenant("7777").get("/services");
        assertFault(answer, 401, "unauthorizedError");
        assertTrue(answer.header("WWW-Authenticate").isPresent(), answer::toString);
    }

    @Test
    void anUnknownTokenIsUnauthorizedWithWwwAuthenticate() {
        Answer answer = anonymous.tenant("7777").token("no-such-token").get("/services");
        assertFault(answer, 401, "unauthorizedError");
        assertTrue(answer.header("WWW-Authenticate").isPresent(), answer::toString);
        assertFault(
                anonymous
                        .tenant("7777")
                        .token("no-such-token")
                        .post("/services", json("id", "svc-sneaky", "heartbeat_timeout", 60)),
                401,
                "unauthorizedError");
    }

    @Test
    void aValidTokenForAnotherTenantIsForbidden() {
        String alice = tokenOf(authenticate(anonymous, "alice", "alice-key"));
        assertFault(anonymous.tenant("8888").token(alice).get("/services"), 403, "forbiddenError");
        assertFault(
                anonymous.tenant("8888").token(alice).put("/configuration/stolen", json("value", "v")),
                403,
                "forbiddenError");
        assertFault(anonymous.tenant("7777").token("static-ci-token").get("/services"), 403, "forbiddenError");
    }

    @Test
    void aStaticTokenOpensItsTenant() {
        RegistryHttp ci = anonymous.tenant("9999").token("static-ci-token");
        assertStatus(204, ci.put("/configuration/ci_key", json("value", "v")));
        assertEquals("v", ci.get("/configuration/ci_key").json().path("value").asText());
    }

    @Test
    void tenantDataIsIsolated() {
        RegistryHttp alice = anonymous.tenant("7777").token(tokenOf(authenticate(anonymous, "alice", "alice-key")));
        RegistryHttp bob = anonymous.tenant("8888").token(tokenOf(authenticate(anonymous, "bob", "bob-key")));
        assertStatus(204, alice.put("/configuration/alice_secret", json("value", "a")));
        assertFault(bob.get("/configuration/alice_secret"), 404, "notFoundError");
        assertEquals(0, bob.get("/configuration").json().path("values").size());
    }

    @Test
    void theRegistroDialectNeedsACredentialToo() {
        assertFault(anonymous.send("GET", "/registro/1.0/apps", null, null, Map.of()), 401, "unauthorizedError");
        assertStatus(200, anonymous.token("static-ci-token").send("GET", "/registro/1.0/apps", null, null, Map.of()));
    }
}
