package io.autoreg.sidecar.cli;

import io.autoreg.core.client.RegistryApiException;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.settings.SettingsException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a failed command line ends: one {@code error:} line (plus picocli's "did you mean" suggestions for
 * a typo and a pointer to the command's help) and the exit code of {@link ExitCodes}.
 */
public final class CliErrors {
    private CliErrors() {}

    /** A command line that cannot be run as written: exit 2. */
    public static int usage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + message(e));
        Suggestions.print(e, err);
        err.println("see '" + command.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** An exception out of a command: a usage problem or bad setting (2), the registry (1 or 3), anything else (1). */
    public static int failure(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        int code;
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            err.println("see '" + command.getCommandSpec().qualifiedName() + " --help'");
            code = ExitCodes.USAGE;
        } else if (e instanceof SettingsException) {
            err.println("error: bad setting: " + e.getMessage());
            code = ExitCodes.USAGE;
        } else if (e instanceof RegistryApiException) {
            err.println("error: " + e.getMessage());
            code = ExitCodes.API_FAULT;
        } else if (e instanceof IOException) {
            err.println("error: registry not reachable: " + Log.describe(e));
            code = ExitCodes.UNREACHABLE;
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            code = ExitCodes.API_FAULT;
        } else {
            err.println("error: " + Log.describe(e));
            code = ExitCodes.API_FAULT;
        }
        err.flush();
        return code;
    }

    /** A sub-command or an option that is not one: said as such rather than as picocli's "unmatched argument at index". */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()
                && !e.getCommandLine().getSubcommands().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (!first.startsWith("-")) {
                return "unknown command '" + first + "' for '"
                        + e.getCommandLine().getCommandSpec().qualifiedName() + "'";
            }
        }
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()
                && unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown option '" + unmatched.getUnmatched().get(0) + "'";
        }
        return e.getMessage();
    }
}
