package io.autoreg.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLogStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCoreLoggersLinesBecomeJsonObjects() throws IOException {
        JsonNode line = JSON.readTree(
                JsonLogStream.toJson("[autoreg] 2026-12-02T15:00:00.123Z warn register x failed: \"quoted\"\tand tab"));
        assertEquals("2026-12-02T15:00:00.123Z", line.path("time").asText());
        assertEquals("warn", line.path("level").asText());
        assertEquals("autoreg", line.path("logger").asText());
        assertEquals(
                "register x failed: \"quoted\"\tand tab", line.path("message").asText());
        JsonNode trace = JSON.readTree(JsonLogStream.toJson("\tat io.autoreg.Foo.bar(Foo.java:1)"));
        assertEquals(
                "\tat io.autoreg.Foo.bar(Foo.java:1)", trace.path("message").asText());
        assertFalse(trace.has("level"));
    }

    @Test
    void logFormatJsonRoutesTheCoreLoggerThroughIt() throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            RegistryOptions options = new RegistryOptions();
            options.logFormat = "json";
            options.applyLogFormat();
            Log.warn("registering web-1 failed (attempt 1)", new IOException("Connection refused"));
            Log.error("second line");
        } finally {
            Log.sink(null);
            System.setErr(saved);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(
                "registering web-1 failed (attempt 1): IOException: Connection refused",
                JSON.readTree(lines.get(0)).path("message").asText());
        assertEquals("error", JSON.readTree(lines.get(1)).path("level").asText());
    }
}
