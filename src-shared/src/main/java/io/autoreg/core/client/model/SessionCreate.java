package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code POST /sessions} and the partial {@code PUT /sessions/{id}} (null fields unchanged). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionCreate(
        @JsonProperty("heartbeat_timeout") Integer heartbeatTimeout, Map<String, String> metadata) {}
