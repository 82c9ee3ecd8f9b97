package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.List;

/** Writes API objects in one {@link OutputFormat}. */
public interface Printer {

    /** A list of objects (the {@code values} of every page). */
    void list(List<JsonNode> rows, PrintStream out);

    /** One object (a {@code get}, the limits). */
    void one(JsonNode object, PrintStream out);

    /** One more row of a list that is being followed ({@code events list --follow}); no header realignment; a null row prints only what starts the output (the header). */
    void followed(JsonNode row, List<String> columns, boolean first, PrintStream out);
}
