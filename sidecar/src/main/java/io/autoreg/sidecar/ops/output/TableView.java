package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a list looks like as a table: the columns people need (for {@code -o table}) and the extra ones
 * of {@code -o wide}. JSON, YAML and CSV print the API's objects as they are and ignore the view.
 */
public record TableView(List<Column> columns) {

    public TableView {
        columns = List.copyOf(columns);
    }

    public static TableView of(Column... columns) {
        return new TableView(List.of(columns));
    }

    /** Every field of the rows, in order of first appearance (for lists without a view of their own). */
    public static TableView fieldsOf(List<JsonNode> rows) {
        List<Column> columns = new ArrayList<>();
        for (String field : Cells.columns(rows)) {
            columns.add(Column.field(field.toUpperCase(Locale.ROOT), field));
        }
        return new TableView(columns);
    }

    /** The columns shown: all of them when wide, else the ones not marked wide. */
    public List<Column> shown(boolean wide) {
        return columns.stream().filter(column -> wide || !column.wide()).toList();
    }
}
