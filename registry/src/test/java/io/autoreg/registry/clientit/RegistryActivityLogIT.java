package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged registry started with {@code --log-format json}: every line it writes to stderr is a JSON
 * object with time, level, logger and message, and there is exactly one line per registration,
 * deregistration, expiry and auth failure, read as a log shipper reads the stream.
 */
class RegistryActivityLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneJsonLinePerRegistrationDeregistrationExpiryAndAuthFailure(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(
                dir.resolve("server.conf"),
                "autoreg.server { tokens { \"good-token\" = \"7777\" }, users = [{ username = \"alice\", api-key = \"k\", tenant = \"7777\" }] }\n");
        try (RegistryChild child =
                new RegistryChild(dir, List.of("--log-format", "json", "--config", config.toString())).start()) {
            String base = child.url("7777").replace("/v1.0/7777", "");
            Http http = new Http(base).token("good-token");
            assertEquals(
                    201,
                    http.post("/v1.0/7777/services", "{\"id\":\"web-1\",\"heartbeat_timeout\":30}")
                            .status());
            assertEquals(
                    201,
                    http.post("/v1.0/7777/services", "{\"id\":\"short-1\",\"heartbeat_timeout\":3}")
                            .status());
            assertEquals(204, http.delete("/v1.0/7777/services/web-1").status());
            Http.Response created = http.post("/v1.0/7777/sessions", "{\"heartbeat_timeout\":30}");
            assertEquals(201, created.status());
            String session = created.header("Location")
                    .substring(created.header("Location").lastIndexOf('/') + 1);
            assertEquals(
                    201,
                    http.post("/v1.0/7777/services", "{\"id\":\"in-session\",\"session_id\":\"" + session + "\"}")
                            .status());
            assertEquals(204, http.delete("/v1.0/7777/sessions/" + session).status());
            assertEquals(
                    401,
                    new Http(base)
                            .token("wrong-token")
                            .get("/v1.0/7777/services")
                            .status());
            assertEquals(
                    401,
                    new Http(base)
                            .post(
                                    "/v2.0/tokens",
                                    "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"wrong\\\"\\nkey\"}}}")
                            .status());

            ClientItSupport.await(
                    Duration.ofSeconds(15),
                    () -> events(child).contains("service.expire"),
                    "the expiry of short-1 in the log");
            List<JsonNode> lines = activity(child);
            assertEquals(1, count(lines, "service.register", "web-1"), lines::toString);
            assertEquals(1, count(lines, "service.register", "short-1"), lines::toString);
            assertEquals(1, count(lines, "service.deregister", "web-1"), lines::toString);
            assertEquals(1, count(lines, "service.expire", "short-1"), lines::toString);
            assertEquals(0, count(lines, "service.expire", "web-1"), lines::toString);
            assertEquals(1, count(lines, "session.create", session), lines::toString);
            assertEquals(1, count(lines, "session.delete", session), lines::toString);
            assertEquals(1, count(lines, "service.register", "in-session"), lines::toString);
            assertEquals(
                    1,
                    count(lines, "service.deregister", "in-session"),
                    "a session's end takes its services: " + lines);
            List<JsonNode> auth = lines.stream()
                    .filter(l -> l.path("event").asText().equals("auth.failure"))
                    .toList();
            assertEquals(2, auth.size(), lines::toString);
            assertEquals("unknown-token", auth.get(0).get("reason").asText());
            assertEquals("/v1.0/7777/services", auth.get(0).get("path").asText());
            assertEquals("warn", auth.get(0).get("level").asText());
            assertEquals("bad-credentials", auth.get(1).get("reason").asText());
            assertEquals("alice", auth.get(1).get("username").asText());
            for (JsonNode line : lines) {
                assertTrue(
                        !line.toString().contains("good-token")
                                && !line.toString().contains("wrong-token"),
                        () -> "a token in the log: " + line);
            }
            JsonNode register = lines.stream()
                    .filter(l -> l.path("event").asText().equals("service.register"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("info", register.get("level").asText());
            assertEquals("autoreg.registry", register.get("logger").asText());
            assertEquals("7777", register.get("tenant").asText());
            assertTrue(
                    register.get("message").asText().startsWith("service.register tenant=7777 id=web-1"),
                    register::toString);
            java.time.Instant.parse(register.get("time").asText());
        }
    }

    /** Every line that is not the start, warning or stop line on stdout must parse as one JSON object. */
    private static List<JsonNode> activity(RegistryChild child) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : child.output().lines().toList()) {
            if (line.isBlank()
                    || line.startsWith("autoreg-registry ")
                    || line.startsWith("WARNING: autoreg-registry")) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                assertTrue(
                        node.isObject()
                                && node.has("time")
                                && node.has("level")
                                && node.has("logger")
                                && node.has("message"),
                        () -> "not a log object: " + line);
                lines.add(node);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return lines;
    }

    private static String events(RegistryChild child) {
        return activity(child).stream()
                .map(l -> l.path("event").asText())
                .toList()
                .toString();
    }

    private static long count(List<JsonNode> lines, String event, String id) {
        return lines.stream()
                .filter(l -> l.path("event").asText().equals(event)
                        && l.path("id").asText().equals(id))
                .count();
    }
}
