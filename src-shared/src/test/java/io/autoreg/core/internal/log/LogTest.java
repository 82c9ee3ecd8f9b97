package io.autoreg.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        Log.sink(null);
        Log.level(Log.Level.WARN);
    }

    @Test
    void quietByDefaultOneLinePerMessagePrefixed() {
        Log.sink(new PrintStream(out, true, StandardCharsets.UTF_8));
        Log.level(Log.Level.WARN);
        Log.info("hidden");
        Log.debug("hidden");
        Log.warn("shown", new IOException("Connection refused"));
        Log.error("also shown");
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("[autoreg] "));
        assertTrue(lines.get(0).endsWith(" warn shown: IOException: Connection refused"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" error also shown"), lines.get(1));
    }

    @Test
    void debugShowsEverythingIncludingStackTraces() {
        Log.sink(new PrintStream(out, true, StandardCharsets.UTF_8));
        Log.level(Log.Level.DEBUG);
        Log.debug("details", new IllegalStateException("x"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(" debug details: IllegalStateException: x"));
        assertTrue(text.contains("\tat "), "stack trace at debug");
    }
}
