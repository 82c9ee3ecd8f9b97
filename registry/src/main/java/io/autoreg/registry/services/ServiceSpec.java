package io.autoreg.registry.services;

import io.autoreg.registry.http.JsonText;
import java.util.List;
import java.util.Map;

/**
 * What a client said about a service: exactly one of {@code heartbeatTimeout} (&gt; 0) or
 * {@code sessionId}. The JSON of the fixed fields is rendered once, since lists and events reuse it.
 */
public record ServiceSpec(
        String id,
        int heartbeatTimeout,
        String sessionId,
        List<String> tags,
        Map<String, String> metadata,
        String jsonHead) {

    public ServiceSpec(
            String id, int heartbeatTimeout, String sessionId, List<String> tags, Map<String, String> metadata) {
        this(id, heartbeatTimeout, sessionId, tags, metadata, head(id, heartbeatTimeout, sessionId, tags, metadata));
    }

    public boolean inSession() {
        return sessionId != null;
    }

    /** The event payload shape: {"id","heartbeat_timeout" or "session_id","tags","metadata"}. */
    public String payloadJson() {
        return jsonHead + "}";
    }

    public ServiceSpec with(List<String> newTags, Map<String, String> newMetadata, int newTimeout) {
        return new ServiceSpec(id, newTimeout, sessionId, newTags, newMetadata);
    }

    private static String head(
            String id, int timeout, String sessionId, List<String> tags, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"id\":");
        JsonText.string(sb, id);
        if (sessionId != null) {
            sb.append(",\"session_id\":");
            JsonText.string(sb, sessionId);
        } else {
            sb.append(",\"heartbeat_timeout\":").append(timeout);
        }
        sb.append(",\"tags\":");
        JsonText.strings(sb, tags);
        sb.append(",\"metadata\":");
        JsonText.map(sb, metadata);
        return sb.toString();
    }
}
