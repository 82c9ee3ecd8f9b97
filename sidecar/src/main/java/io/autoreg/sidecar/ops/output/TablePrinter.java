package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Space-aligned columns under an upper-case header, through the list's {@link TableView}; one object
 * prints as FIELD/VALUE rows with times shown as instants and how long ago. Every cell is one line:
 * control characters are written as escapes ({@link Cells#oneLine}), so a value cannot break the table.
 */
final class TablePrinter implements Printer {
    /** Fields of the API's objects that hold epoch milliseconds. */
    private static final Set<String> TIME_FIELDS = Set.of("last_seen", "timestamp");

    private final boolean wide;
    private final LongSupplier clock;

    TablePrinter(boolean wide, LongSupplier clock) {
        this.wide = wide;
        this.clock = clock;
    }

    @Override
    public void list(List<JsonNode> rows, TableView view, PrintWriter out) {
        if (rows.isEmpty()) {
            // no rows, no columns to name: nothing on stdout, so `| wc -l` counts 0
            out.flush();
            return;
        }
        List<Column> columns = (view == null ? TableView.fieldsOf(rows) : view).shown(wide);
        long now = clock.getAsLong();
        List<List<String>> lines = new ArrayList<>();
        lines.add(columns.stream().map(Column::header).toList());
        for (JsonNode row : rows) {
            lines.add(cells(row, columns, now));
        }
        print(lines, out);
    }

    @Override
    public boolean printsNothingForNoRows() {
        return true;
    }

    @Override
    public void one(JsonNode object, PrintWriter out) {
        long now = clock.getAsLong();
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("FIELD", "VALUE"));
        for (Map.Entry<String, JsonNode> entry : Cells.flatten(object).entrySet()) {
            JsonNode value = entry.getValue();
            boolean time = TIME_FIELDS.contains(lastSegment(entry.getKey())) && value.isIntegralNumber();
            lines.add(List.of(
                    Cells.oneLine(entry.getKey()),
                    time ? HumanTime.absolute(value.asLong(), now) : Cells.oneLine(Cells.text(value))));
        }
        print(lines, out);
    }

    @Override
    public void followed(JsonNode row, List<String> fields, TableView view, boolean first, PrintWriter out) {
        // Rows arrive one by one, so columns cannot be aligned to the widest value: tab-separated instead.
        List<Column> columns = view.shown(wide);
        if (first) {
            out.println(String.join("\t", columns.stream().map(Column::header).toList()));
        }
        if (row != null) {
            out.println(String.join("\t", cells(row, columns, clock.getAsLong())));
        }
        out.flush();
    }

    private static List<String> cells(JsonNode row, List<Column> columns, long now) {
        List<String> cells = new ArrayList<>(columns.size());
        for (Column column : columns) {
            cells.add(Cells.oneLine(column.cell().text(row, now)));
        }
        return cells;
    }

    private static String lastSegment(String dottedKey) {
        return dottedKey.substring(dottedKey.lastIndexOf('.') + 1);
    }

    private static void print(List<List<String>> lines, PrintWriter out) {
        int[] widths = new int[lines.get(0).size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], width(line.get(i)));
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                text.append(cell);
                if (i < line.size() - 1) {
                    text.append(" ".repeat(widths[i] - width(cell) + 2));
                }
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
