package io.autoreg.registry.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;

/** The list envelope of docs/api.md §1: inclusive markers, limit 1..1000, next_marker and next_href. */
public final class ListPage {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Appends one item's JSON to the page. */
    @FunctionalInterface
    public interface ItemWriter<V> {
        void write(StringBuilder out, String key, V value);
    }

    private ListPage() {}

    public static int limit(Call call) {
        String raw = call.query("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "invalidLimit", "Limit must be a number", "Invalid limit " + raw);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiError(
                    400,
                    "invalidLimit",
                    "Invalid limit " + limit + ". Minimum limit is 1 and maximum limit is " + MAX_LIMIT + ".",
                    null);
        }
        return limit;
    }

    /**
     * Renders the page of {@code items} (sorted by key) starting at {@code fromKey} inclusive.
     * {@code marker} is what the client sent (echoed), {@code path} the list's absolute path for next_href.
     */
    public static <V> String render(
            Call call,
            NavigableMap<String, V> items,
            String fromKey,
            String marker,
            Predicate<V> visible,
            ItemWriter<V> writer,
            String path) {
        int limit = limit(call);
        NavigableMap<String, V> view = fromKey == null ? items : items.tailMap(fromKey, true);
        StringBuilder sb = new StringBuilder(256 + Math.min(limit, 64) * 160);
        sb.append("{\"values\":[");
        int count = 0;
        String nextMarker = null;
        Iterator<Map.Entry<String, V>> it = view.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, V> e = it.next();
            if (!visible.test(e.getValue())) {
                continue;
            }
            if (count == limit) {
                nextMarker = e.getKey();
                break;
            }
            if (count > 0) {
                sb.append(',');
            }
            writer.write(sb, e.getKey(), e.getValue());
            count++;
        }
        sb.append("],\"metadata\":{\"count\":")
                .append(count)
                .append(",\"limit\":")
                .append(limit)
                .append(",\"marker\":");
        JsonText.string(sb, marker);
        sb.append(",\"next_marker\":");
        JsonText.string(sb, nextMarker);
        sb.append(",\"next_href\":");
        JsonText.string(sb, nextMarker == null ? null : nextHref(call, path, limit, nextMarker));
        sb.append("}}");
        return sb.toString();
    }

    private static String nextHref(Call call, String path, int limit, String nextMarker) {
        Map<String, String> query = new LinkedHashMap<>();
        call.queryParameters().forEach((name, values) -> {
            if (!name.equals("marker") && !name.equals("limit") && !values.isEmpty()) {
                query.put(name, values.getFirst());
            }
        });
        StringBuilder href =
                new StringBuilder(call.base()).append(path).append("?limit=").append(limit);
        query.forEach((k, v) -> href.append('&').append(encode(k)).append('=').append(encode(v)));
        href.append("&marker=").append(encode(nextMarker));
        return href.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
