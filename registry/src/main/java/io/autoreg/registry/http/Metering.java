package io.autoreg.registry.http;

/** How a tenant request counts against the tenant's request-rate budgets. */
public enum Metering {
    /** A heartbeat of a service or session: never counted, never refused by the rate limit. */
    HEARTBEAT,
    /** GET (and HEAD): the reads budget. */
    READ,
    /** Every other method: the writes budget. */
    WRITE
}
