package io.autoreg.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.configuration.ConfigurationStore;
import io.autoreg.registry.registro.RegistroStore;
import io.autoreg.registry.sessions.SessionTable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** The journal sections of sessions, configuration and Registro. */
final class StateSections {
    private StateSections() {}

    static StateRecords.StateSection sessions(SessionTable sessions) {
        return new StateRecords.StateSection() {
            @Override
            public boolean apply(String op, JsonNode r) {
                switch (op) {
                    case "session.put" -> {
                        JsonNode s = r.get("session");
                        sessions.restore(
                                r.get("tenant").asText(),
                                s.get("id").asText(),
                                r.get("incarnation").asLong(),
                                r.get("generation").asLong(),
                                s.get("heartbeat_timeout").asInt(),
                                strings(s.get("metadata")));
                        return true;
                    }
                    case "session.delete" -> {
                        sessions.restoreDelete(
                                r.get("tenant").asText(),
                                r.get("id").asText(),
                                r.get("incarnation").asLong());
                        return true;
                    }
                    default -> {
                        return false;
                    }
                }
            }

            @Override
            public void snapshot(Consumer<byte[]> out) {
                sessions.snapshot(out);
            }
        };
    }

    static StateRecords.StateSection configuration(ConfigurationStore store) {
        return new StateRecords.StateSection() {
            @Override
            public boolean apply(String op, JsonNode r) {
                switch (op) {
                    case "config.put" -> {
                        store.restore(
                                r.get("tenant").asText(),
                                r.get("id").asText(),
                                r.get("value").asText());
                        return true;
                    }
                    case "config.delete" -> {
                        store.restoreDelete(
                                r.get("tenant").asText(), r.get("id").asText());
                        return true;
                    }
                    default -> {
                        return false;
                    }
                }
            }

            @Override
            public void snapshot(Consumer<byte[]> out) {
                store.snapshot(out);
            }
        };
    }

    static StateRecords.StateSection registro(RegistroStore store) {
        return new StateRecords.StateSection() {
            @Override
            public boolean apply(String op, JsonNode r) {
                switch (op) {
                    case "registro.app" -> {
                        store.restoreApp(r.get("name").asText());
                        return true;
                    }
                    case "registro.instance" -> {
                        store.restoreInstance(
                                r.get("app").asText(),
                                r.get("id").asText(),
                                r.get("ip").asText(),
                                r.get("port").asInt(),
                                r.get("status").asText());
                        return true;
                    }
                    case "registro.remove" -> {
                        store.restoreRemove(r.get("app").asText(), r.get("id").asText());
                        return true;
                    }
                    default -> {
                        return false;
                    }
                }
            }

            @Override
            public void snapshot(Consumer<byte[]> out) {
                store.snapshot(out);
            }
        };
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return Collections.unmodifiableMap(out);
    }
}
