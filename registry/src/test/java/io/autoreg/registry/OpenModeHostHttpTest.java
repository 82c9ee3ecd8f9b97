package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.registry.support.RawHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DNS rebinding: a web page whose name the attacker re-points at 127.0.0.1 reaches an open registry
 * with its own name in {@code Host}. An open server answers only loopback names, its own address and
 * the configured {@code allowed-hosts}; the answer's {@code Location} never echoes the request's Host.
 */
class OpenModeHostHttpTest {
    @TempDir
    static Path openData;

    @TempDir
    static Path tokenData;

    static RegistryServer open;
    static RegistryServer withTokens;

    @BeforeAll
    static void start() {
        open = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(openData)
                .config("autoreg.server.allowed-hosts = [registry.internal.example]")
                .build()
                .start();
        withTokens = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(tokenData)
                .config("autoreg.server.tokens { ci-token = \"7777\" }")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        open.close();
        withTokens.close();
    }

    private static RawHttp.Response get(RegistryServer server, String host, String path, String token) {
        try (RawHttp connection = RawHttp.connect(server.port())) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (token == null ? "" : "X-Auth-Token: " + token + "\r\n") + "Connection: close\r\n\r\n");
        }
    }

    private static RawHttp.Response create(String host, String id) {
        String body = "{\"id\":\"" + id + "\",\"heartbeat_timeout\":60}";
        try (RawHttp connection = RawHttp.connect(open.port())) {
            return connection.exchange("POST /v1.0/rebind/services HTTP/1.1\r\nHost: " + host + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body);
        }
    }

    @ParameterizedTest(name = "Host: {0} is refused")
    @ValueSource(
            strings = {
                "attacker.example",
                "attacker.example:PORT",
                "localhost.attacker.example",
                "127.0.0.1.nip.io:PORT",
                "10.1.2.3",
                "0.0.0.0:PORT",
                "[::2]:PORT",
                "127.0.0.1evil"
            })
    void aForeignHostIsMisdirected(String host) {
        for (String path : new String[] {"/v1.0/rebind/services", "/", "/metrics", "/v1.0/rebind/configuration"}) {
            RawHttp.Response answer = get(open, host.replace("PORT", String.valueOf(open.port())), path, null);
            assertEquals(421, answer.status(), () -> path + ": " + answer);
            assertEquals("misdirectedRequest", answer.json().path("type").asText(), answer::toString);
            assertEquals(421, answer.json().path("code").asInt(), answer::toString);
            assertEquals(
                    answer.header("X-Response-Id"), answer.json().path("txnId").asText(), answer::toString);
            assertTrue(
                    answer.json().path("details").asText().contains("autoreg.server.allowed-hosts"), answer::toString);
        }
        RawHttp.Response created = create(host.replace("PORT", String.valueOf(open.port())), "svc-rebound");
        assertEquals(421, created.status(), created::toString);
        assertEquals(
                404,
                get(open, "127.0.0.1", "/v1.0/rebind/services/svc-rebound", null)
                        .status());
    }

    @ParameterizedTest(name = "Host: {0} is served")
    @ValueSource(
            strings = {
                "localhost",
                "localhost:PORT",
                "LOCALHOST:PORT",
                "localhost.:PORT",
                "127.0.0.1",
                "127.0.0.1:PORT",
                "127.1.2.3:PORT",
                "[::1]",
                "[::1]:PORT",
                "registry.internal.example",
                "Registry.Internal.Example:8443"
            })
    void loopbackNamesTheBindAddressAndAllowedHostsAreServed(String host) {
        RawHttp.Response answer =
                get(open, host.replace("PORT", String.valueOf(open.port())), "/v1.0/rebind/services", null);
        assertEquals(200, answer.status(), answer::toString);
    }

    @Test
    void anAllowedHostThatIsNotAHostNameIsABadSetting(@TempDir Path data) {
        SettingsException e = assertThrows(
                SettingsException.class,
                () -> RegistryServer.builder()
                        .port(0)
                        .dataDir(data)
                        .config("autoreg.server.allowed-hosts = [\"registry.example:8870\"]")
                        .build());
        assertEquals("autoreg.server.allowed-hosts", e.key());
        assertTrue(e.getMessage().contains("registry.example:8870"), e::getMessage);
    }

    @Test
    void locationIsTheServersOwnAddressNotTheRequestsHost() {
        RawHttp.Response created = create("localhost:1", "svc-located");
        assertEquals(201, created.status(), created::toString);
        assertEquals(
                "http://127.0.0.1:" + open.port() + "/v1.0/rebind/services/svc-located", created.header("Location"));
    }

    @Test
    void withTokensAnyHostIsServedButLocationIsStillTheServersOwn() {
        RawHttp.Response answer = get(withTokens, "attacker.example", "/v1.0/7777/services", "ci-token");
        assertEquals(200, answer.status(), answer::toString);
        String body = "{\"id\":\"svc-token-host\",\"heartbeat_timeout\":60}";
        try (RawHttp connection = RawHttp.connect(withTokens.port())) {
            RawHttp.Response created =
                    connection.exchange("POST /v1.0/7777/services HTTP/1.1\r\nHost: attacker.example\r\n"
                            + "X-Auth-Token: ci-token\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body);
            assertEquals(201, created.status(), created::toString);
            assertEquals(
                    "http://127.0.0.1:" + withTokens.port() + "/v1.0/7777/services/svc-token-host",
                    created.header("Location"));
        }
    }
}
