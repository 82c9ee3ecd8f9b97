package io.autoreg.sidecar.run;

/** How a neighbour is probed ({@code autoreg.sidecar.check.type}). */
enum CheckType {
    /** GET host:port/path; 2xx passes unless a JSON body's {@code "status"} says unhealthy ({@code DOWN}, {@code fail}, …). */
    HTTP,
    /**
     * As {@link #HTTP}, over TLS, the neighbour's certificate not verified — as the kubelet's HTTPS probes: the probe
     * asks a process beside the sidecar whether it serves, sends no credentials, and the neighbour's certificate names
     * its public host, not the loopback address it is probed on.
     */
    HTTPS,
    /** A TCP connect to host:port. */
    TCP,
    /** A command that exits 0. */
    EXEC,
    /**
     * gRPC's health service ({@code grpc.health.v1.Health/Check}) over cleartext HTTP/2, as the kubelet's {@code grpc}
     * probe: passes when the answer is {@code SERVING}.
     */
    GRPC,
    /** As {@link #GRPC}, over TLS, the certificate not verified (as {@link #HTTPS}). */
    GRPCS
}
