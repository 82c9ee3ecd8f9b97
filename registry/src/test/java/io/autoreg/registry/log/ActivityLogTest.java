package io.autoreg.registry.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActivityLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_764_000_000_123L;

    @Test
    void aJsonLineHasTheSidecarsFieldsAndTheEventsOwn() throws Exception {
        String line = ActivityLog.json(new ActivityLog.Entry(
                T, "info", "service.register", new String[] {"tenant", "7777", "id", "web-1", "session", null}));
        JsonNode node = JSON.readTree(line);
        assertEquals("2025-11-24T16:00:00.123Z", node.get("time").asText());
        assertEquals("info", node.get("level").asText());
        assertEquals("autoreg.registry", node.get("logger").asText());
        assertEquals(
                "service.register tenant=7777 id=web-1", node.get("message").asText());
        assertEquals("service.register", node.get("event").asText());
        assertEquals("web-1", node.get("id").asText());
        assertFalse(node.has("session"), "a null field is left out");
        assertFalse(line.contains("\n"));
    }

    @Test
    void quotesNewlinesAndControlCharactersAreEscapedAndTheLineStaysOneLine() throws Exception {
        String id = "a\"b\nc\\d\te\u0001";
        String line = ActivityLog.json(new ActivityLog.Entry(T, "warn", "auth.failure", new String[] {"username", id}));
        assertFalse(line.contains("\n"), line);
        JsonNode node = JSON.readTree(line);
        assertEquals(id, node.get("username").asText());
        assertEquals(
                "auth.failure username=" + "\"a\\\"b\\nc\\\\d\\te\\u0001\"",
                node.get("message").asText());

        String text = ActivityLog.text(
                new ActivityLog.Entry(T, "warn", "auth.failure", new String[] {"username", id, "x", ""}));
        assertEquals(
                "[autoreg] registry: 2025-11-24T16:00:00.123Z warn auth.failure username=\"a\\\"b\\nc\\\\d\\te\\u0001\" x=\"\"",
                text);
    }

    @Test
    void otherStderrLinesBecomeTheSameShape() throws Exception {
        JsonNode warning = JSON.readTree(JsonStderr.toJson(T, "[autoreg] registry: WARNING: tenant 7777 used 80 %"));
        assertEquals("warn", warning.get("level").asText());
        assertEquals("tenant 7777 used 80 %", warning.get("message").asText());
        assertEquals("autoreg.registry", warning.get("logger").asText());
        JsonNode failure =
                JSON.readTree(JsonStderr.toJson(T, "[autoreg] registry: journal writer error: \"disk\"\nfull"));
        assertEquals("error", failure.get("level").asText());
        assertEquals(
                "journal writer error: \"disk\"\nfull", failure.get("message").asText());
    }

    @Test
    void anAuthFailureFloodIsLimitedPerSecondAndSummedUp() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(T);
        try (ActivityLog log = new ActivityLog(
                ActivityLog.Format.JSON, new PrintStream(bytes, true, StandardCharsets.UTF_8), clock::get)) {
            for (int i = 0; i < 533; i++) {
                log.authFailure("reason", "unknown-token", "client", "127.0.0.1");
            }
            log.info("service.register", "tenant", "7777", "id", "web-1");
            clock.addAndGet(1_000);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(ActivityLog.AUTH_FAILURES_PER_SECOND + 2, lines.size(), lines::toString);
        int failures = 0;
        JsonNode summary = null;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            switch (node.get("event").asText()) {
                case "auth.failure" -> failures++;
                case "auth.failure.suppressed" -> summary = node;
                default -> assertEquals("service.register", node.get("event").asText());
            }
        }
        assertEquals(ActivityLog.AUTH_FAILURES_PER_SECOND, failures);
        assertTrue(summary != null, lines::toString);
        assertEquals("523", summary.get("count").asText());
        assertTrue(summary.get("message").asText().contains("and 523 more auth failures"), summary::toString);
    }

    @Test
    void theFormatIsTextOrJson() {
        assertEquals(ActivityLog.Format.JSON, ActivityLog.Format.parse("JSON"));
        assertEquals(ActivityLog.Format.TEXT, ActivityLog.Format.parse("text"));
        assertNull(ActivityLog.Format.parse("xml"));
    }
}
