package io.autoreg.sidecar.cli;

/**
 * The exit codes scripts rely on (documented in the sidecar README). {@code exec} exits with the wrapped
 * command's own code instead, and {@code 100}/{@code 127} for its own failures.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** The registry answered with a fault (4xx/5xx); the fault is printed whole on stderr. */
    public static final int API_FAULT = 1;
    /** The command line cannot be run as written, or a setting is bad. */
    public static final int USAGE = 2;
    /** No answer from the registry: refused, timed out, unknown host. */
    public static final int UNREACHABLE = 3;

    private ExitCodes() {}
}
