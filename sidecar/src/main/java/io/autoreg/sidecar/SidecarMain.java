package io.autoreg.sidecar;

import io.autoreg.core.log.Log;
import io.autoreg.core.settings.SettingsException;
import io.autoreg.sidecar.cli.Command;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.exec.ExecCommand;
import io.autoreg.sidecar.ops.ConfigurationCommand;
import io.autoreg.sidecar.ops.EventsCommand;
import io.autoreg.sidecar.ops.LimitsCommand;
import io.autoreg.sidecar.ops.ServicesCommand;
import io.autoreg.sidecar.ops.SessionsCommand;
import io.autoreg.sidecar.run.RunCommand;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar autoreg-sidecar.jar COMMAND ...}: {@code run}, {@code exec} and the operator commands.
 * Exit codes: the command's own (0 ok; 1 API error; {@code exec}: the wrapped command's), 2 for a usage
 * error or a bad setting.
 */
public final class SidecarMain {
    static final int USAGE = 2;

    private static final List<Command> COMMANDS = List.of(new RunCommand(), new ExecCommand(), new ServicesCommand(),
            new SessionsCommand(), new EventsCommand(), new ConfigurationCommand(), new LimitsCommand());

    private SidecarMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs one command line and answers its exit code (the ITs call the jar; this keeps main trivial). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            (args.isEmpty() ? err : out).println(help());
            return args.isEmpty() ? USAGE : 0;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(args.get(0))).findFirst().orElse(null);
        if (command == null) {
            err.println("error: unknown command '" + args.get(0) + "'");
            err.println(help());
            return USAGE;
        }
        try {
            return command.run(args.subList(1, args.size()), out, err);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(command.usage());
            return USAGE;
        } catch (SettingsException e) {
            err.println("error: bad setting: " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("error: " + Log.describe(e));
            return 1;
        }
    }

    private static String help() {
        StringBuilder text = new StringBuilder("usage: java -jar autoreg-sidecar.jar COMMAND [options]  (COMMAND --help for details)\n\ncommands:\n");
        for (Command command : COMMANDS) {
            text.append(String.format("  %-14s %s%n", command.name(), command.summary()));
        }
        text.append("\nexit codes: 0 ok, 1 registry/API error, 2 usage or bad setting; exec: the command's own, 100 with --abort-on-failure");
        return text.toString();
    }
}
