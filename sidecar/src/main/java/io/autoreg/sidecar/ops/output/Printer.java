package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/** Writes API objects in one {@link OutputFormat}. */
public interface Printer {

    /** A list of objects (the {@code values} of every page); tables show them through {@code view}. */
    void list(List<JsonNode> rows, TableView view, PrintWriter out);

    /** One object (a {@code get}, the limits). */
    void one(JsonNode object, PrintWriter out);

    /**
     * One more row of a list that is being followed ({@code events list --follow}): no realignment, so
     * tables are tab-separated; CSV keeps the API's {@code fields}. A null row prints only what starts the
     * output (the header), when {@code first}.
     */
    void followed(JsonNode row, List<String> fields, TableView view, boolean first, PrintWriter out);
}
