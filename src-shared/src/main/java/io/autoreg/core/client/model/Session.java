package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A session ({@code GET /sessions/{id}}); {@code lastSeen} is null before the first heartbeat. */
public record Session(
        String id,
        @JsonProperty("heartbeat_timeout") int heartbeatTimeout,
        Map<String, String> metadata,
        @JsonProperty("last_seen") Long lastSeen) {}
