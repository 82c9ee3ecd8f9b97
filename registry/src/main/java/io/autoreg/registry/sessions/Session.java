package io.autoreg.registry.sessions;

import io.autoreg.registry.expiry.Lease;
import io.autoreg.registry.http.JsonText;
import java.util.Map;

/** A session of the session generation: a lease that the services registered into it share. */
public final class Session extends Lease {
    final String tenant;
    final String id;
    final long incarnation;
    final byte[] owner;
    private final SessionTable table;
    private volatile int heartbeatTimeout;
    private volatile Map<String, String> metadata;

    Session(
            SessionTable table,
            String tenant,
            String id,
            long incarnation,
            int heartbeatTimeout,
            Map<String, String> metadata,
            long generation,
            boolean exact,
            long deadline) {
        super(generation, exact, deadline);
        this.table = table;
        this.tenant = tenant;
        this.id = id;
        this.incarnation = incarnation;
        this.owner = io.autoreg.registry.auth.HeartbeatTokens.owner("se|" + tenant + "|" + id);
        this.heartbeatTimeout = heartbeatTimeout;
        this.metadata = metadata;
    }

    public String id() {
        return id;
    }

    public int heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    void update(Integer timeout, Map<String, String> newMetadata) {
        if (timeout != null) {
            heartbeatTimeout = timeout;
        }
        if (newMetadata != null) {
            metadata = newMetadata;
        }
    }

    /** The fixed fields as JSON, without the closing brace. */
    String jsonHead() {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"id\":");
        JsonText.string(sb, id);
        sb.append(",\"heartbeat_timeout\":").append(heartbeatTimeout).append(",\"metadata\":");
        JsonText.map(sb, metadata);
        return sb.toString();
    }

    void writeTo(StringBuilder sb) {
        sb.append(jsonHead()).append(",\"last_seen\":");
        long seen = lastSeen();
        if (seen < 0) {
            sb.append("null");
        } else {
            sb.append(seen);
        }
        sb.append('}');
    }

    @Override
    protected void expired(long deadline) {
        table.expired(this, deadline);
    }
}
