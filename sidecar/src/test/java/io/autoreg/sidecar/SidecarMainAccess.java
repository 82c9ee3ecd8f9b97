package io.autoreg.sidecar;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The sidecar's command tree for tests in other packages. */
public final class SidecarMainAccess {
    private SidecarMainAccess() {}

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return SidecarMain.commandLine(out, err);
    }
}
