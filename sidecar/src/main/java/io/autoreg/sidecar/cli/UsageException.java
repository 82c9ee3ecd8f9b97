package io.autoreg.sidecar.cli;

/** A command line that cannot be run as written; the sidecar prints it with the command's usage and exits 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
