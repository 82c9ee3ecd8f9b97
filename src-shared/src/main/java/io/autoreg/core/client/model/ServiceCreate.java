package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /services}: exactly one of {@code heartbeat_timeout} (service generation, own token
 * chain) and {@code session_id} (session generation, dies with the session).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceCreate(
        String id,
        @JsonProperty("heartbeat_timeout") Integer heartbeatTimeout,
        @JsonProperty("session_id") String sessionId,
        List<String> tags,
        Map<String, String> metadata) {

    /** A service with its own heartbeat timeout (3..120 seconds). */
    public static ServiceCreate withHeartbeat(
            String id, int heartbeatTimeoutSeconds, List<String> tags, Map<String, String> metadata) {
        return new ServiceCreate(id, heartbeatTimeoutSeconds, null, tags, metadata);
    }

    /** A service that lives as long as the session. */
    public static ServiceCreate inSession(
            String id, String sessionId, List<String> tags, Map<String, String> metadata) {
        return new ServiceCreate(id, null, sessionId, tags, metadata);
    }

    /** The same service in another session (after the session was re-created). */
    public ServiceCreate withSession(String newSessionId) {
        return new ServiceCreate(id, heartbeatTimeout, newSessionId, tags, metadata);
    }
}
