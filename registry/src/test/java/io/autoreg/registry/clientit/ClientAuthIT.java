package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.autoreg.core.client.ForbiddenException;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.UnauthorizedException;
import io.autoreg.core.client.model.AuthResponse;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens from the real {@code /v2.0/tokens}, re-authentication on 401, static tokens and tenant isolation. */
class ClientAuthIT {

    @TempDir
    static Path data;

    static RegistryServer server;

    @BeforeAll
    static void start() {
        server = RegistryServer.builder()
                .bind("127.0.0.1")
                .port(0)
                .dataDir(data)
                .config("""
                autoreg.server {
                  users = [{ username = ops, api-key = secret, tenant = "7777" }]
                  token-ttl = 2s
                  tokens { "ci-token" = "7777" }
                }
                """)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ServiceRegistryClient.Builder builder(String tenant) {
        return ServiceRegistryClient.builder()
                .url(server.baseUrl() + "/v1.0/" + tenant)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Test
    void anExpiredTokenIsAnswered401AndTheClientAuthenticatesAgainAndRetries() throws Exception {
        // a frozen clock: the client cannot see the expiry coming, so only the server's 401 can tell it
        Clock frozen = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        try (ServiceRegistryClient client =
                builder("7777").apiKey("ops", "secret").clock(frozen).build()) {
            AuthResponse.AccessToken first = client.authenticate();
            assertEquals("7777", first.tenant().id());
            client.services().create(ServiceCreate.withHeartbeat("auth-1", 30, List.of(), Map.of()));

            try (ServiceRegistryClient withOldToken =
                    builder("7777").token(first.id()).build()) {
                ClientItSupport.await(
                        Duration.ofSeconds(10),
                        () -> {
                            try {
                                withOldToken.limits();
                                return false;
                            } catch (UnauthorizedException expired) {
                                return true;
                            } catch (Exception other) {
                                return false;
                            }
                        },
                        "the server rejects the first token after its 2 s lifetime");
            }
            assertEquals("auth-1", client.services().get("auth-1").id(), "the call succeeds after re-authenticating");
            assertNotEquals(first.id(), client.authenticate().id());
            client.services().delete("auth-1");
        }
    }

    @Test
    void wrongCredentialsAreUnauthorized() {
        try (ServiceRegistryClient client =
                builder("7777").apiKey("ops", "wrong").build()) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, client::limits);
            assertEquals("unauthorizedError", e.type());
        }
    }

    @Test
    void aStaticTokenWorksForItsTenantOnly() throws Exception {
        try (ServiceRegistryClient own = builder("7777").token("ci-token").build();
                ServiceRegistryClient foreign =
                        builder("8888").token("ci-token").build();
                ServiceRegistryClient none = builder("7777").build()) {
            own.limits();
            ForbiddenException e = assertThrows(ForbiddenException.class, foreign::limits);
            assertEquals("forbiddenError", e.type());
            assertThrows(UnauthorizedException.class, none::limits);
        }
    }
}
