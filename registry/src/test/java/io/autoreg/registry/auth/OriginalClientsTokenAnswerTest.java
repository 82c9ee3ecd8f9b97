package io.autoreg.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.support.SettableClock;
import io.autoreg.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /v2.0/tokens read the way the original clients read it, not the way our own client does.
 *
 * <ul>
 *   <li>The Java client (java-service-registry-client) binds the answer with Gson to {@code access.token}
 *       ({@code id}, {@code expires}, {@code tenant} as {@code Map<String,Integer>}) and turns {@code expires} into
 *       a time by rewriting {@code -0X:00} to {@code -0X00} and parsing with
 *       {@code SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.sssZ")}, whose {@code .sss} is seconds again.</li>
 *   <li>The Node client, through keystone-client 0.3.x, takes its tenant id from the service catalogue: the entry
 *       named cloudServers, cloudServersLegacy or cloudServersOpenStack, its {@code endpoints[0].tenantId}.</li>
 * </ul>
 */
class OriginalClientsTokenAnswerTest {
    private static final Duration TTL = Duration.ofHours(24);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path data;

    static SettableClock clock;
    static RegistryServer server;

    @BeforeAll
    static void start() {
        clock = new SettableClock();
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .clock(clock)
                .config("autoreg.server { users = [{ username = alice, api-key = s3cret, tenant = \"7777\" },"
                        + " { username = bob, api-key = s3cret, tenant = acme }], token-ttl = 24h }")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- the Java client ----

    /** The classes the Java client binds the answer to, as Gson sees them: field names and types. */
    static final class JavaClientAuthData {
        JavaClientAccess access;
    }

    static final class JavaClientAccess {
        JavaClientToken token;
    }

    static final class JavaClientToken {
        String id;
        String expires;
        Map<String, Integer> tenant;
    }

    /** What the Java client makes of {@code expires}: its rewrite, then its pattern; null where it fails. */
    static Instant javaClientExpiry(String expires) {
        try {
            Date date = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.sssZ")
                    .parse(expires.replaceAll("\\-0([0-9]){1}\\:00", "-0$100"));
            return date.toInstant();
        } catch (ParseException e) {
            return null;
        }
    }

    private static JavaClientToken javaClientLogin(String user) {
        String body = login(user).raw().body();
        return new Gson().fromJson(body, JavaClientAuthData.class).access.token;
    }

    private static Http.Response login(String user) {
        Http.Response r = new Http(server.baseUrl())
                .post(
                        "/v2.0/tokens",
                        "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"" + user
                                + "\",\"apiKey\":\"s3cret\"}}}");
        assertEquals(200, r.status(), () -> r.raw().body());
        return r;
    }

    @Test
    void theJavaClientReadsTheExpiryToTheSecondAndNeverLaterThanItIs() {
        // Whatever the milliseconds of the moment of login, the client must get a time, and the right one.
        long base = (clock.millis() / 60_000 + 1) * 60_000;
        for (long offset : new long[] {0, 1, 59, 91, 500, 585, 999, 28_091, 59_999}) {
            long now = clock.advanceTo(base + offset);
            JavaClientToken token = javaClientLogin("alice");
            assertTrue(
                    token.expires.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}-00:00"), token.expires);
            Instant iso = OffsetDateTime.parse(token.expires).toInstant();
            Instant javaClient = javaClientExpiry(token.expires);
            assertNotNull(javaClient, "the Java client cannot parse " + token.expires);
            assertEquals(iso.truncatedTo(ChronoUnit.SECONDS), javaClient, token.expires);
            assertTrue(javaClient.toEpochMilli() > now, "the Java client reads " + token.expires + " as past");
            assertTrue(
                    Math.abs(iso.toEpochMilli() - (now + TTL.toMillis())) < 1000, token.expires + " is not now + ttl");
            base += 120_000;
        }
    }

    @Test
    void anExpiryOnAWholeMinuteHasThreeZeroDigitsAndTheTokenDiesThen() {
        long now = clock.advanceTo((clock.millis() / 60_000 + 2) * 60_000 - TTL.toMillis() % 60_000);
        long expiry = now + TTL.toMillis();
        assertEquals(0, expiry % 60_000);
        JavaClientToken token = javaClientLogin("alice");
        assertTrue(token.expires.endsWith(":00.000-00:00"), token.expires);
        assertEquals(Instant.ofEpochMilli(expiry), javaClientExpiry(token.expires));
        assertEquals(
                Instant.ofEpochMilli(expiry),
                OffsetDateTime.parse(token.expires).toInstant());

        Http alice = new Http(server.baseUrl()).token(token.id);
        clock.advanceTo(expiry - 1);
        assertEquals(200, alice.get("/v1.0/7777/services").status());
        clock.advanceTo(expiry);
        assertEquals(401, alice.get("/v1.0/7777/services").status());
    }

    @Test
    void theClientsParsingAsReplicatedHereRejectsTheZuluFormatTheServerUsedToWrite() {
        // Checks the replica above against the failure this server's old answers met: what Instant.toString()
        // writes parses to null in the client (a NullPointerException on its next call), with or without millis.
        assertEquals(null, javaClientExpiry("2026-12-03T13:23:28.091Z"));
        assertEquals(null, javaClientExpiry("2026-12-03T13:23:28Z"));
    }

    @Test
    void aNumericTenantFillsTheJavaClientsTenantMap() {
        JavaClientToken token = javaClientLogin("alice");
        assertEquals(Integer.valueOf(7777), token.tenant.get("id"));
        assertEquals(Integer.valueOf(7777), token.tenant.get("name"));
    }

    @Test
    void aTenantThatIsNotANumberCannotBeReadByTheJavaClient() {
        // Documented limit (registry/README.md): users of the Java client need numeric tenant ids.
        assertThrows(JsonSyntaxException.class, () -> javaClientLogin("bob"));
    }

    // ---- the Node client (keystone-client 0.3.x getTenantIdAndToken) ----

    /** keystone-client's lookup: the last catalogue entry with one of the three names, its first endpoint. */
    static String keystoneTenantId(JsonNode answer) {
        String tenantId = null;
        for (JsonNode item : answer.at("/access/serviceCatalog")) {
            String name = item.path("name").asText(null);
            if (Set.of("cloudServers", "cloudServersLegacy", "cloudServersOpenStack")
                    .contains(name)) {
                if (item.path("endpoints").size() == 0) {
                    throw new AssertionError("Endpoints should always be > 0");
                }
                tenantId = item.path("endpoints").path(0).path("tenantId").asText(null);
            }
        }
        return tenantId;
    }

    @Test
    void theNodeClientFindsItsTenantInTheCatalogue() {
        JsonNode answer = login("alice").json();
        assertTrue(answer.at("/access/serviceCatalog").isArray(), answer::toString);
        assertEquals("7777", keystoneTenantId(answer));
        JsonNode cloudServers = answer.at("/access/serviceCatalog/0");
        assertEquals("cloudServers", cloudServers.path("name").asText());
        assertEquals("compute", cloudServers.path("type").asText());
        assertEquals(
                server.baseUrl() + "/v1.0/7777",
                cloudServers.at("/endpoints/0/publicURL").asText());
        JsonNode registry = answer.at("/access/serviceCatalog/1");
        assertEquals("serviceRegistry", registry.path("name").asText());
        assertEquals(
                server.baseUrl() + "/v1.0/7777",
                registry.at("/endpoints/0/publicURL").asText());
        assertEquals("7777", answer.at("/access/token/tenant/id").asText());
    }

    @Test
    void theCatalogueNamesTheServersAddressWhateverHostTheClientSent() throws IOException {
        String body = "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"s3cret\"}}}";
        JsonNode answer = MAPPER.readTree(rawPost("/v2.0/tokens", "attacker.example:666", body));
        assertEquals(2, answer.at("/access/serviceCatalog").size(), answer::toString);
        for (JsonNode item : answer.at("/access/serviceCatalog")) {
            assertEquals(
                    server.baseUrl() + "/v1.0/7777",
                    item.at("/endpoints/0/publicURL").asText(),
                    answer::toString);
        }
    }

    @Test
    void aConfiguredPublicUrlIsWhatTheCatalogueNames(@TempDir Path otherData) {
        try (RegistryServer behindAProxy = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(otherData)
                .config("autoreg.server { public-url = \"https://registry.internal:9443/\" }")
                .build()
                .start()) {
            Http.Response r = new Http(behindAProxy.baseUrl())
                    .post(
                            "/v2.0/tokens",
                            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"4242\",\"apiKey\":\"any\"}}}");
            assertEquals("4242", keystoneTenantId(r.json()));
            assertEquals(
                    "https://registry.internal:9443/v1.0/4242",
                    r.json()
                            .at("/access/serviceCatalog/0/endpoints/0/publicURL")
                            .asText());
        }
    }

    @Test
    void aPublicUrlThatIsNotAnAbsoluteHttpUrlIsRefusedNamingTheKey() {
        for (String bad : List.of("registry.internal:8870", "ftp://registry.internal", "http://h/x?y=1", "http:///x")) {
            SettingsException e = assertThrows(
                    SettingsException.class,
                    () -> RegistryServer.builder()
                            .config("autoreg.server.public-url = \"" + bad + "\"")
                            .build());
            assertTrue(e.getMessage().contains("autoreg.server.public-url"), e.getMessage());
            assertTrue(e.getMessage().contains("http://"), e.getMessage());
        }
    }

    /** A POST with a Host header of our choosing (the JDK client will not send one). */
    private static String rawPost(String path, String host, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
