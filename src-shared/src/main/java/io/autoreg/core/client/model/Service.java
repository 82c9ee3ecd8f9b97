package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A service as the registry shows it ({@code GET /services/{id}}, list items, event payloads — which
 * carry no {@code last_seen}).
 *
 * @param heartbeatTimeout seconds, for a service of the service generation, else null
 * @param sessionId        the owning session, for a service of the session generation, else null
 * @param lastSeen         epoch ms of the last heartbeat, null before the first
 */
public record Service(
        String id,

        @JsonProperty("heartbeat_timeout") @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer heartbeatTimeout,

        @JsonProperty("session_id") @JsonInclude(JsonInclude.Include.NON_NULL)
        String sessionId,

        List<String> tags,
        Map<String, String> metadata,
        @JsonProperty("last_seen") Long lastSeen) {}
