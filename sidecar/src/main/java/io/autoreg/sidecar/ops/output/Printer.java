package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/** Writes API objects in one {@link OutputFormat}. */
public interface Printer {

    /** A list of objects (the {@code values} of every page); tables show them through {@code view}. */
    void list(List<JsonNode> rows, TableView view, PrintWriter out);

    /**
     * Whether a list of no rows prints nothing at all (a table: no rows, no header), so that the caller says so
     * where a person reads it; JSON and YAML print an empty list, CSV stays silent for scripts.
     */
    default boolean printsNothingForNoRows() {
        return false;
    }

    /** One object (a {@code get}, the limits). */
    void one(JsonNode object, PrintWriter out);

    /**
     * One more row of a list that is being followed ({@code events list --follow}): no realignment, so
     * tables are tab-separated; CSV keeps the API's {@code fields}. A null row prints only what starts the
     * output (the header), when {@code first}.
     */
    void followed(JsonNode row, List<String> fields, TableView view, boolean first, PrintWriter out);
}
