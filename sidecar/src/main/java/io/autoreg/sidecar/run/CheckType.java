package io.autoreg.sidecar.run;

/** How a neighbour is probed ({@code autoreg.sidecar.check.type}). */
enum CheckType {
    /** GET host:port/path; 2xx passes, and a JSON body {@code {"status":"UP"|"DOWN"}} is honoured. */
    HTTP,
    /** A TCP connect to host:port. */
    TCP,
    /** A command that exits 0. */
    EXEC
}
