package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One column of a table view: its header and how a row's JSON becomes the cell; {@code wide} columns
 * show only with {@code -o wide}.
 */
public record Column(String header, Cell cell, boolean wide) {

    /** A cell's text for one row; {@code now} is epoch ms, for relative times. */
    public interface Cell {
        String text(JsonNode row, long now);
    }

    public static Column of(String header, Cell cell) {
        return new Column(header, cell, false);
    }

    public static Column wide(String header, Cell cell) {
        return new Column(header, cell, true);
    }

    /** A field of the row as a cell ({@link Cells#text}). */
    public static Column field(String header, String field) {
        return of(header, (row, now) -> Cells.text(row.get(field)));
    }
}
