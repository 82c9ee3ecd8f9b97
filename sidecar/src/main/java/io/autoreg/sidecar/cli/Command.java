package io.autoreg.sidecar.cli;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of the sidecar ({@code run}, {@code exec}, {@code services}, …). */
public interface Command {

    String name();

    /** One line for the top-level help. */
    String summary();

    /** The full {@code --help} text: synopsis and options. */
    String usage();

    /**
     * Runs the command. Usage problems are thrown as {@link UsageException} (exit 2); the returned value is
     * the process exit code.
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
