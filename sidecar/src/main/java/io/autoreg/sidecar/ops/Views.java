package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.sidecar.ops.output.Cells;
import io.autoreg.sidecar.ops.output.Column;
import io.autoreg.sidecar.ops.output.HumanTime;
import io.autoreg.sidecar.ops.output.TableView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The table columns of each list: what an operator scans for first, and more with {@code -o wide}. */
final class Views {
    /** Metadata keys the registrars write (agent, sidecar, backends): the service name, host and port. */
    static final String NAME_KEY = "service_name";

    static final String HOST_KEY = "host";
    static final String PORT_KEY = "port";
    /** Set by {@code services maint ID on}; the Service Registry API has no out-of-service state of its own. */
    static final String MAINTENANCE_KEY = "maintenance";

    private static final Set<String> SHOWN_KEYS = Set.of(NAME_KEY, HOST_KEY, PORT_KEY);

    static final TableView SERVICES = TableView.of(
            Column.field("ID", "id"),
            Column.of("NAME", (row, now) -> row.path("metadata").path(NAME_KEY).asText("")),
            Column.of("ADDRESS:PORT", (row, now) -> address(row.path("metadata"))),
            Column.of("STATUS", Views::status),
            Column.of("LAST SEEN", (row, now) -> lastSeen(row.path("last_seen"), now)),
            Column.field("TAGS", "tags"),
            Column.wide(
                    "TIMEOUT",
                    (row, now) -> row.hasNonNull("heartbeat_timeout")
                            ? row.get("heartbeat_timeout").asInt() + "s"
                            : "session " + row.path("session_id").asText()),
            Column.wide("EXPIRES", Views::expires),
            Column.wide("METADATA", (row, now) -> otherMetadata(row.path("metadata"))));

    static final TableView SESSIONS = TableView.of(
            Column.field("ID", "id"),
            Column.of("TIMEOUT", (row, now) -> row.path("heartbeat_timeout").asInt() + "s"),
            Column.of("LAST SEEN", (row, now) -> lastSeen(row.path("last_seen"), now)),
            Column.field("METADATA", "metadata"));

    static final TableView CONFIGURATION = TableView.of(Column.field("ID", "id"), Column.field("VALUE", "value"));

    static final TableView EVENTS = TableView.of(
            Column.of(
                    "TIME",
                    (row, now) -> HumanTime.relative(row.path("timestamp").asLong(), now)),
            Column.field("TYPE", "type"),
            Column.of(
                    "SUBJECT",
                    (row, now) -> row.path("payload").has("id")
                            ? row.path("payload").path("id").asText()
                            : row.path("payload").path("configuration_value_id").asText("")),
            Column.of("DETAIL", (row, now) -> eventDetail(row.path("type").asText(), row.path("payload"))),
            Column.wide("ID", (row, now) -> row.path("id").asText()),
            Column.wide(
                    "TIMESTAMP",
                    (row, now) -> java.time.Instant.ofEpochMilli(
                                    row.path("timestamp").asLong())
                            .toString()));

    private Views() {}

    /** {@code host:port} from the metadata, {@code [v6]:port} for IPv6, the host alone without a port. */
    static String address(JsonNode metadata) {
        String host = metadata.path(HOST_KEY).asText("");
        String port = metadata.path(PORT_KEY).asText("");
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        if (port.isEmpty() || port.equals("0")) {
            return host;
        }
        return host + ":" + port;
    }

    /**
     * {@code maint} (marked by {@code services maint}), {@code new} (no heartbeat yet), {@code late} (the
     * heartbeat is overdue: less than the client's 3 s margin, or a fifth of the timeout, is left before it
     * expires), else {@code passing}. An expired service is not listed at all: the registry removes it.
     */
    static String status(JsonNode row, long now) {
        if (row.path("metadata").has(MAINTENANCE_KEY)) {
            return "maint";
        }
        if (!row.hasNonNull("last_seen")) {
            return "new";
        }
        if (row.hasNonNull("heartbeat_timeout")) {
            long timeout = row.get("heartbeat_timeout").asLong() * 1000;
            long lateAfter = Math.max(timeout - 3000, timeout * 4 / 5);
            if (now - row.get("last_seen").asLong() > lateAfter) {
                return "late";
            }
        }
        return "passing";
    }

    private static String lastSeen(JsonNode lastSeen, long now) {
        return lastSeen.isIntegralNumber() ? HumanTime.relative(lastSeen.asLong(), now) : "never";
    }

    private static String expires(JsonNode row, long now) {
        if (!row.hasNonNull("heartbeat_timeout") || !row.hasNonNull("last_seen")) {
            return "";
        }
        return HumanTime.relative(
                row.get("last_seen").asLong() + row.get("heartbeat_timeout").asLong() * 1000, now);
    }

    private static String otherMetadata(JsonNode metadata) {
        List<String> pairs = new ArrayList<>();
        metadata.fields().forEachRemaining(field -> {
            if (!SHOWN_KEYS.contains(field.getKey())) {
                pairs.add(field.getKey() + "=" + Cells.text(field.getValue()));
            }
        });
        return String.join(",", pairs);
    }

    private static String eventDetail(String type, JsonNode payload) {
        if (type.startsWith("configuration_value.")) {
            String old = payload.path("old_value").isNull()
                    ? "(none)"
                    : payload.path("old_value").asText("(none)");
            return payload.has("new_value")
                    ? old + " -> " + payload.path("new_value").asText()
                    : "was " + old;
        }
        return address(payload.path("metadata"));
    }
}
