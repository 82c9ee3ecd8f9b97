package io.autoreg.registry.services;

import io.autoreg.registry.expiry.Lease;

/** A live service: its spec and, for a service with its own timeout, its lease. */
public final class Service extends Lease {
    final String tenant;
    final long incarnation;
    final byte[] owner;
    private final ServiceTable table;
    private volatile ServiceSpec spec;
    /**
     * The answer that issued this incarnation's last token ({@code {"token":"…"}} as UTF-8, the token at
     * {@code JsonText.TOKEN_AT}), so that presenting it needs no second HMAC
     * ({@code HeartbeatTokens.verify(…, lastIssued, at)}). Racing heartbeats may leave an older one here;
     * the newer one is then verified in full. Null after a restart until the first heartbeat. Never
     * changed once set (each answer is a new array).
     */
    volatile byte[] lastIssued;

    Service(
            ServiceTable table,
            String tenant,
            ServiceSpec spec,
            long incarnation,
            long generation,
            boolean exact,
            long deadline) {
        super(generation, exact, deadline);
        this.table = table;
        this.tenant = tenant;
        this.spec = spec;
        this.incarnation = incarnation;
        this.owner = io.autoreg.registry.auth.HeartbeatTokens.owner("s|" + tenant + "|" + spec.id());
    }

    public ServiceSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    void spec(ServiceSpec spec) {
        this.spec = spec;
    }

    /** A session service has no deadline of its own; its session's liveness is checked by the table. */
    boolean visibleAt(long now) {
        return spec.inSession() ? !dead() : aliveAt(now);
    }

    @Override
    protected void expired(long deadline) {
        table.expired(this, deadline);
    }
}
