package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code PUT /services/{id}}: a partial update; null fields are left as they are. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceUpdate(
        List<String> tags,
        Map<String, String> metadata,
        @JsonProperty("heartbeat_timeout") Integer heartbeatTimeout) {}
