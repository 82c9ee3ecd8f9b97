package io.autoreg.registry.outsideclients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original Node client's own libraries, run by node against the real registry: keystone-client 0.3.1 (from
 * the npm registry, pinned in src/test/node/package-lock.json and installed by scripts/install-test-deps.sh)
 * authenticates and looks its tenant up in the service catalogue, then the client's request library fetches
 * GET /views/overview. service-registry-client itself is not on the npm registry, so its two calls are replayed
 * in src/test/node/original-node-client.js with the libraries it is built on.
 */
class OriginalNodeClientIT {
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path data;

    static RegistryServer server;

    @BeforeAll
    static void start() {
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .config("autoreg.server { users = [{ username = alice, api-key = s3cret, tenant = \"7777\" }] }")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keystoneClientFindsTheTenantAndTheOverviewListsTheSessionWithItsServices() throws Exception {
        Http alice = new Http(server.baseUrl()).token(login());
        Http.Response session =
                alice.post("/v1.0/7777/sessions", "{\"heartbeat_timeout\":30,\"metadata\":{\"dc\":\"dfw\"}}");
        assertEquals(201, session.status());
        String location = session.header("Location");
        String sessionId = location.substring(location.lastIndexOf('/') + 1);
        assertEquals(
                201,
                alice.post(
                                "/v1.0/7777/services",
                                "{\"id\":\"dfw1-api\",\"session_id\":\"" + sessionId + "\",\"tags\":[\"www\"]}")
                        .status());
        assertEquals(
                201,
                alice.post("/v1.0/7777/services", "{\"id\":\"own-timeout\",\"heartbeat_timeout\":30}")
                        .status());

        JsonNode out = runNodeClient("alice", "s3cret");
        assertEquals("7777", out.path("tenantId").asText(), out::toString);
        assertEquals(
                200,
                new Http(server.baseUrl())
                        .token(out.path("token").asText())
                        .get("/v1.0/7777/services")
                        .status());
        OffsetDateTime.parse(out.path("expires").asText());
        JsonNode overview = out.path("overview");
        assertEquals(1, overview.size(), overview::toString);
        assertEquals(sessionId, overview.at("/0/session/id").asText());
        assertEquals("dfw", overview.at("/0/session/metadata/dc").asText());
        assertEquals(1, overview.at("/0/services").size(), overview::toString);
        assertEquals("dfw1-api", overview.at("/0/services/0/id").asText());
        assertEquals(sessionId, overview.at("/0/services/0/session_id").asText());
    }

    private static String login() {
        Http.Response r = new Http(server.baseUrl())
                .post(
                        "/v2.0/tokens",
                        "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"s3cret\"}}}");
        assertEquals(200, r.status());
        return r.json().at("/access/token/id").asText();
    }

    private static JsonNode runNodeClient(String user, String apiKey) throws IOException, InterruptedException {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/keystone-client"))) {
            fail("keystone-client is not installed in " + NODE_DIR.toAbsolutePath()
                    + ": run scripts/install-test-deps.sh (npm ci there) before the integration tests");
        }
        Path log = Files.createTempFile(data, "node-client", ".log");
        Process node = new ProcessBuilder(List.of("node", "original-node-client.js", server.baseUrl(), user, apiKey))
                .directory(NODE_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                fail("the Node client did not finish within 60 s: " + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, node.exitValue(), output);
            String last = output.strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("{"), output);
            return MAPPER.readTree(last);
        } finally {
            node.destroyForcibly();
        }
    }
}
