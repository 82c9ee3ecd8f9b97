package io.autoreg.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.events.Event;
import io.autoreg.registry.events.EventLog;
import io.autoreg.registry.http.Json;
import io.autoreg.registry.services.ServiceSpec;
import io.autoreg.registry.services.ServiceTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Turns journal records back into state (replay) and state into records (snapshots). */
final class StateRecords {
    private final ServiceTable services;
    private final EventLog events;
    private final List<StateSection> sections;

    /** A feature that keeps its own state in the journal (sessions, configuration, Registro). */
    interface StateSection {
        /** Applies the record if its op is one of this section's; returns whether it was. */
        boolean apply(String op, JsonNode record);

        void snapshot(Consumer<byte[]> out);
    }

    StateRecords(ServiceTable services, EventLog events, List<StateSection> sections) {
        this.services = services;
        this.events = events;
        this.sections = sections;
    }

    void apply(byte[] bytes) {
        JsonNode record;
        try {
            record = Json.parse(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable journal record", e);
        }
        String op = record.path("op").asText();
        switch (op) {
            case "service.put" ->
                services.restore(
                        record.get("tenant").asText(),
                        spec(record.get("service")),
                        record.get("incarnation").asLong(),
                        record.get("generation").asLong());
            case "service.delete" ->
                services.restoreDelete(
                        record.get("tenant").asText(),
                        record.get("id").asText(),
                        record.get("incarnation").asLong());
            case "event" -> {
                JsonNode e = record.get("event");
                events.restore(
                        record.get("tenant").asText(),
                        new Event(
                                e.get("id").asText(),
                                e.get("timestamp").asLong(),
                                e.get("type").asText(),
                                Json.write(e.get("payload"))));
            }
            default -> {
                for (StateSection section : sections) {
                    if (section.apply(op, record)) {
                        return;
                    }
                }
                System.err.println("[autoreg] registry: skipping a journal record of unknown op '" + op + "'");
            }
        }
    }

    void snapshot(Consumer<byte[]> out) {
        services.snapshot(out);
        for (StateSection section : sections) {
            section.snapshot(out);
        }
        // Events past the retention are left out even if the periodic prune has not run yet.
        String retained = events.retainedFloor();
        events.all()
                .forEach((tenant, log) ->
                        log.tailMap(retained, true).values().forEach(e -> out.accept(EventLog.record(tenant, e))));
    }

    static ServiceSpec spec(JsonNode s) {
        List<String> tags = new ArrayList<>();
        s.path("tags").forEach(t -> tags.add(t.asText()));
        Map<String, String> metadata = new TreeMap<>();
        s.path("metadata")
                .fields()
                .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new ServiceSpec(
                s.get("id").asText(),
                s.path("heartbeat_timeout").asInt(0),
                s.hasNonNull("session_id") ? s.get("session_id").asText() : null,
                List.copyOf(tags),
                java.util.Collections.unmodifiableMap(metadata));
    }
}
