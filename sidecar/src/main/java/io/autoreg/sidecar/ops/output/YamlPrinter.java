package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Block-style YAML. Strings are always written as JSON strings (double-quoted with JSON escapes), which
 * is valid YAML and never mistaken for a number, boolean or null; numbers, booleans and null stay plain.
 */
final class YamlPrinter implements Printer {

    @Override
    public void list(List<JsonNode> rows, PrintStream out) {
        if (rows.isEmpty()) {
            out.println("[]");
        }
        for (JsonNode row : rows) {
            StringBuilder text = new StringBuilder();
            sequenceItem(row, 0, text);
            out.print(text);
        }
        out.flush();
    }

    @Override
    public void one(JsonNode object, PrintStream out) {
        StringBuilder text = new StringBuilder();
        if (object.isObject() && object.size() > 0) {
            mapping(object, 0, text);
        } else {
            text.append(scalar(object)).append('\n');
        }
        out.print(text);
        out.flush();
    }

    @Override
    public void followed(JsonNode row, List<String> columns, boolean first, PrintStream out) {
        if (row == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        sequenceItem(row, 0, text);
        out.print(text);
        out.flush();
    }

    private static void mapping(JsonNode object, int indent, StringBuilder text) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            text.append(" ".repeat(indent)).append(key(field.getKey())).append(':');
            value(field.getValue(), indent, text);
        }
    }

    /** After "key:" — a scalar or empty container on the same line, else a nested block. */
    private static void value(JsonNode value, int indent, StringBuilder text) {
        if (value.isObject() && value.size() > 0) {
            text.append('\n');
            mapping(value, indent + 2, text);
        } else if (value.isArray() && value.size() > 0) {
            text.append('\n');
            for (JsonNode item : value) {
                sequenceItem(item, indent + 2, text);
            }
        } else {
            text.append(' ').append(scalar(value)).append('\n');
        }
    }

    private static void sequenceItem(JsonNode item, int indent, StringBuilder text) {
        text.append(" ".repeat(indent)).append("- ");
        if (item.isObject() && item.size() > 0) {
            StringBuilder nested = new StringBuilder();
            mapping(item, indent + 2, nested);
            // the first key goes on the dash line
            text.append(nested.substring(indent + 2));
        } else if (item.isArray() && item.size() > 0) {
            text.append('\n');
            for (JsonNode inner : item) {
                sequenceItem(inner, indent + 2, text);
            }
        } else {
            text.append(scalar(item)).append('\n');
        }
    }

    private static String key(String key) {
        return key.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*") ? key : quote(key);
    }

    private static String scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isObject()) {
            return "{}";
        }
        if (value.isArray()) {
            return "[]";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        return quote(value.asText());
    }

    private static String quote(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }
}
