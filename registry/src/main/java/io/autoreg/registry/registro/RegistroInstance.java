package io.autoreg.registry.registro;

import io.autoreg.registry.expiry.Expiring;
import io.autoreg.registry.http.JsonText;

/**
 * An instance of a Registro app. Status: starting (no renewal yet) → up (renewed) → down (no renewal
 * for 90 s, computed on read) ; out-of-service after a DELETE. Removed 10 minutes after its last renewal.
 */
final class RegistroInstance implements Expiring {
    static final long DOWN_AFTER_MILLIS = 90_000;
    static final long REMOVE_AFTER_MILLIS = 600_000;
    final String app;
    final String id;
    final String ip;
    final int port;
    private final RegistroStore store;
    private volatile String status;
    private volatile long lastRenewal;
    private volatile boolean removed;

    RegistroInstance(RegistroStore store, String app, String id, String ip, int port, String status, long lastRenewal) {
        this.store = store;
        this.app = app;
        this.id = id;
        this.ip = ip;
        this.port = port;
        this.status = status;
        this.lastRenewal = lastRenewal;
    }

    String storedStatus() {
        return status;
    }

    synchronized boolean renew(long now) {
        if (status.equals("out-of-service") || removed) {
            return false;
        }
        status = "up";
        lastRenewal = now;
        return true;
    }

    void outOfService() {
        status = "out-of-service";
    }

    long removeAt() {
        return lastRenewal + REMOVE_AFTER_MILLIS;
    }

    boolean visibleAt(long now) {
        return !removed && now < removeAt();
    }

    String statusAt(long now) {
        String s = status;
        if (!s.equals("out-of-service") && now - lastRenewal >= DOWN_AFTER_MILLIS) {
            return "down";
        }
        return s;
    }

    void writeTo(StringBuilder sb, long now) {
        sb.append("{\"id\":");
        JsonText.string(sb, id);
        sb.append(",\"ip\":");
        JsonText.string(sb, ip);
        sb.append(",\"port\":")
                .append(port)
                .append(",\"status\":\"")
                .append(statusAt(now))
                .append("\",\"lastRenewal\":")
                .append(lastRenewal / 1000)
                .append('}');
    }

    synchronized boolean markRemoved() {
        if (removed) {
            return false;
        }
        removed = true;
        return true;
    }

    @Override
    public long checkExpiry(long now) {
        if (removed) {
            return -1;
        }
        long at = removeAt();
        if (at > now) {
            return at;
        }
        store.expired(this);
        return -1;
    }
}
