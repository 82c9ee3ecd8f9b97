package io.autoreg.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Validation of request bodies with the messages of docs/api.md §1 ("Validation error for key 'id'"). */
public final class Fields {
    private Fields() {}

    /** The body must be an object holding only {@code allowed} keys; an unknown key is named in the fault. */
    public static JsonNode object(JsonNode body, Set<String> allowed) {
        if (!body.isObject()) {
            throw ApiError.badRequest("Invalid JSON", "The request body must be a JSON object");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiError.badRequest("Unknown field '" + name + "'", "Field '" + name + "' is not allowed here");
            }
        }
        return body;
    }

    public static boolean present(JsonNode body, String key) {
        JsonNode v = body.get(key);
        return v != null && !v.isNull();
    }

    public static String string(JsonNode body, String key, Pattern pattern, int min, int max) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            throw ApiError.validation(key, "Key is required");
        }
        if (!v.isTextual()) {
            throw ApiError.validation(key, "Value must be a string");
        }
        String s = v.textValue();
        int length = s.codePointCount(0, s.length());
        if (length < min || length > max) {
            throw ApiError.validation(key, "String is not in range (" + min + ".." + max + ")");
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw ApiError.validation(key, "String does not match " + pattern.pattern());
        }
        return s;
    }

    public static int integer(JsonNode body, String key, int min, int max) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            throw ApiError.validation(key, "Key is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.validation(key, "Value must be an integer in range (" + min + ".." + max + ")");
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw ApiError.validation(key, "Integer is not in range (" + min + ".." + max + ")");
        }
        return i;
    }

    /** 0–10 tags of 1–55 characters. */
    public static List<String> tags(JsonNode body) {
        JsonNode v = body.get("tags");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiError.validation("tags", "Value must be an array of strings");
        }
        if (v.size() > 10) {
            throw ApiError.validation("tags", "Array is not in range (0..10)");
        }
        List<String> tags = new ArrayList<>(v.size());
        for (JsonNode t : v) {
            if (!t.isTextual()) {
                throw ApiError.validation("tags", "Value must be an array of strings");
            }
            String s = t.textValue();
            int length = s.codePointCount(0, s.length());
            if (length < 1 || length > 55) {
                throw ApiError.validation("tags", "String is not in range (1..55)");
            }
            tags.add(s);
        }
        return List.copyOf(tags);
    }

    /** 0–20 pairs, key and value 1–255 characters each. */
    public static Map<String, String> metadata(JsonNode body) {
        JsonNode v = body.get("metadata");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw ApiError.validation("metadata", "Value must be an object of strings");
        }
        if (v.size() > 20) {
            throw ApiError.validation("metadata", "Object is not in range (0..20)");
        }
        Map<String, String> out = new TreeMap<>();
        var it = v.fields();
        while (it.hasNext()) {
            var e = it.next();
            String key = e.getKey();
            if (!e.getValue().isTextual()) {
                throw ApiError.validation("metadata", "Value of '" + key + "' must be a string");
            }
            String value = e.getValue().textValue();
            if (outOfRange(key) || outOfRange(value)) {
                throw ApiError.validation("metadata", "String is not in range (1..255)");
            }
            out.put(key, value);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static boolean outOfRange(String s) {
        int length = s.codePointCount(0, s.length());
        return length < 1 || length > 255;
    }
}
