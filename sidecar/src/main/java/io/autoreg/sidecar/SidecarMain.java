package io.autoreg.sidecar;

import io.autoreg.core.internal.log.Log;
import io.autoreg.sidecar.cli.CliErrors;
import io.autoreg.sidecar.cli.CompletionCommand;
import io.autoreg.sidecar.cli.ExitCodes;
import io.autoreg.sidecar.cli.ManCommand;
import io.autoreg.sidecar.cli.ManifestVersion;
import io.autoreg.sidecar.exec.ExecCommand;
import io.autoreg.sidecar.ops.ConfigurationCommand;
import io.autoreg.sidecar.ops.EventsCommand;
import io.autoreg.sidecar.ops.LimitsCommand;
import io.autoreg.sidecar.ops.ServicesCommand;
import io.autoreg.sidecar.ops.SessionsCommand;
import io.autoreg.sidecar.run.RunCommand;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar autoreg-sidecar.jar COMMAND ...}: {@code run}, {@code exec}, the operator commands, and
 * {@code completion}/{@code man}/{@code help}. Exit codes: {@link ExitCodes} ({@code exec}: the wrapped
 * command's own).
 */
@Command(
        name = "autoreg-sidecar",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        usageHelpWidth = 110,
        description = "Registers what cannot take the autoreg agent, and lets operators see and steer the registry.",
        subcommands = {
            RunCommand.class,
            ExecCommand.class,
            ServicesCommand.class,
            SessionsCommand.class,
            EventsCommand.class,
            ConfigurationCommand.class,
            LimitsCommand.class,
            CompletionCommand.class,
            ManCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0 ok, 1 the registry answered a fault, 2 usage error or bad setting, 3 registry unreachable;",
            "  exec: the command's own (128+N for signal N), 100 with --abort-on-failure, 127 command not runnable.",
            "Run 'autoreg-sidecar COMMAND --help' for a command's options."
        })
public final class SidecarMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs one command line and answers its exit code (the in-JVM tests call this; the jar's main is trivial). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return commandLine(outWriter, errWriter).execute(args.toArray(new String[0]));
        } finally {
            outWriter.flush();
            errWriter.flush();
            // --log-format json replaced the core logger's sink; the in-JVM tests run many command lines
            Log.sink(null);
        }
    }

    /** The whole command tree with the sidecar's error handling; also what completion and the man page are made from. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SidecarMain());
        cli.setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                // the original parser let a later flag win over an earlier one; scripts append overrides
                .setOverwrittenOptionsAllowed(true)
                .setAbbreviatedOptionsAllowed(false)
                .setParameterExceptionHandler(CliErrors::usage)
                .setExecutionExceptionHandler(CliErrors::failure);
        // exec: the first argument that is not ours starts the wrapped command; its own flags are never ours
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        return cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
