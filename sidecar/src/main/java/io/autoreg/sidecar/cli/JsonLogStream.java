package io.autoreg.sidecar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --log-format json}: the core logger's lines ({@code [autoreg] <instant> <level> <message>}) as
 * one JSON object per line — {@code {"time","level","logger":"autoreg","message"}} — for log shippers.
 * A line of another shape (a stack trace at debug) becomes the message of an object of its own, so the
 * stream stays JSON Lines throughout.
 */
public final class JsonLogStream extends PrintStream {
    private static final Pattern LINE =
            Pattern.compile("\\[autoreg] (\\S+) (error|warn|info|debug) (.*)", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream target;

    public JsonLogStream(PrintStream target) {
        super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.target = target;
    }

    /** One log line as a JSON object. */
    static String toJson(String line) {
        ObjectNode entry = JSON.createObjectNode();
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
            entry.put("time", m.group(1))
                    .put("level", m.group(2))
                    .put("logger", "autoreg")
                    .put("message", m.group(3));
        } else {
            entry.put("logger", "autoreg").put("message", line);
        }
        return entry.toString();
    }

    @Override
    public void println(String line) {
        target.println(toJson(line));
        target.flush();
    }

    @Override
    public void println(Object line) {
        println(String.valueOf(line));
    }
}
