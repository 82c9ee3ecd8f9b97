package io.autoreg.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command lines that never reach a registry: help, version, typo suggestions, usage errors (2) and bad settings (2). */
class SidecarMainTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SidecarMain.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        Result help = run("--help");
        assertEquals(0, help.code());
        for (String command : List.of("run", "exec", "services", "sessions", "events", "configuration", "limits")) {
            assertTrue(help.out().matches("(?s).*\\n  " + command + "[ ,].*"), command + " in\n" + help.out());
            Result own = run(command, "--help");
            assertEquals(0, own.code(), command);
            assertTrue(own.out().startsWith("Usage: autoreg-sidecar " + command), own.out());
        }
        assertTrue(help.out().contains("3 registry unreachable"), "the exit codes are in the help:\n" + help.out());
        Result none = run();
        assertEquals(2, none.code(), "no command is a usage error");
        assertTrue(none.err().contains("Usage: autoreg-sidecar"), none.err());
        Result verbs = run("help", "services");
        assertEquals(0, verbs.code());
        for (String verb : List.of("list", "get", "delete", "maint")) {
            assertTrue(verbs.out().contains("  " + verb), verb + " in\n" + verbs.out());
        }
    }

    /**
     * A command list shows the first line of each command's description, as picocli prints it: a line that breaks
     * off mid-sentence ("... after RISE passes in a row it is") reads as a cut-off summary, so each first line must
     * stand on its own.
     */
    @Test
    void everyCommandListShowsAWholeSummaryForEachCommand() {
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        List<picocli.CommandLine> pending = new java.util.ArrayList<>(List.of(SidecarMain.commandLine(sink, sink)));
        int checked = 0;
        while (!pending.isEmpty()) {
            picocli.CommandLine parent = pending.remove(pending.size() - 1);
            for (picocli.CommandLine command : parent.getSubcommands().values()) {
                if (command.getCommandSpec().usageMessage().hidden() || pending.contains(command)) {
                    continue;
                }
                String[] description = command.getCommandSpec().usageMessage().description();
                String name = command.getCommandSpec().qualifiedName();
                assertTrue(description.length > 0, name + " has a description");
                String first = description[0].strip();
                assertFalse(
                        first.matches("(?s).*([,:;]|\\b(a|an|and|of|or|the|to|with))$"),
                        name + ": the command list shows only \"" + first + "\"");
                pending.add(command);
                checked++;
            }
        }
        assertTrue(checked >= 20, "every command and verb was looked at: " + checked);
    }

    @Test
    void helpAndVersionWorkOnEveryCommand() {
        for (List<String> command : List.<List<String>>of(
                List.of(),
                List.of("run"),
                List.of("exec"),
                List.of("services", "list"),
                List.of("services", "maint"),
                List.of("events", "list"),
                List.of("configuration", "set"),
                List.of("limits"),
                List.of("completion"),
                List.of("man"))) {
            for (String flag : List.of("--version", "-V")) {
                List<String> argv = new java.util.ArrayList<>(command);
                argv.add(flag);
                Result version = run(argv.toArray(new String[0]));
                assertEquals(0, version.code(), argv.toString());
                assertTrue(version.out().startsWith("autoreg-sidecar "), argv + ": " + version.out());
            }
            List<String> argv = new java.util.ArrayList<>(command);
            argv.add("-h");
            Result help = run(argv.toArray(new String[0]));
            assertEquals(0, help.code(), argv.toString());
            assertTrue(
                    help.out()
                            .startsWith("Usage: autoreg-sidecar"
                                    + (command.isEmpty() ? "" : " " + String.join(" ", command))),
                    argv + ": " + help.out());
        }
    }

    @Test
    void aMistypedCommandOrOptionGetsASuggestionAndExit2() {
        Result command = run("servces", "list");
        assertEquals(2, command.code());
        assertEquals(
                List.of(
                        "error: unknown command 'servces' for 'autoreg-sidecar'",
                        "did you mean: services?",
                        "see 'autoreg-sidecar --help'"),
                command.err().lines().toList());
        Result verb = run("services", "lsit");
        assertEquals(2, verb.code());
        assertTrue(verb.err().contains("did you mean: list?"), verb.err());
        Result option = run("services", "list", "--frmat", "json");
        assertEquals(2, option.code());
        assertEquals(
                List.of(
                        "error: unknown option '--frmat'",
                        "did you mean: --format?",
                        "see 'autoreg-sidecar services list --help'"),
                option.err().lines().toList());
        Result swapped = run("exec", "--abort-on-fialure", "--", "true");
        assertTrue(swapped.err().contains("did you mean: --abort-on-failure?"), swapped.err());
        Result inline = run("run", "--prot=8081");
        assertTrue(inline.err().contains("did you mean: --port?"), inline.err());
        assertEquals("", option.out() + command.out(), "nothing on stdout for a usage error");
    }

    @Test
    void aSettingWrittenAsAFlagIsAnsweredWithItsFlag() {
        // autoreg.sidecar.check.path, autoreg.heartbeat.timeout: the flag is the path's tail, or the path with dashes
        Result path = run("run", "--check-path", "/health", "--port", "8081");
        assertEquals(2, path.code());
        assertEquals(
                List.of(
                        "error: unknown option '--check-path'",
                        "did you mean: --path?",
                        "see 'autoreg-sidecar run --help'"),
                path.err().lines().toList());
        assertTrue(run("run", "--check.interval=5s").err().contains("did you mean: --interval?"));
        assertTrue(run("exec", "--heartbeat.timeout=10s", "sleep", "1")
                .err()
                .contains("did you mean: --heartbeat-timeout?"));
        assertTrue(run("run", "--service-name", "web").err().contains("did you mean: --name?"));
    }

    @Test
    void anOptionPutBeforeItsVerbIsShownAfterIt() {
        Result follow = run("events", "--follow");
        assertEquals(2, follow.code());
        assertEquals(
                List.of(
                        "error: unknown option '--follow'",
                        "did you mean: autoreg-sidecar events list --follow?",
                        "see 'autoreg-sidecar events --help'"),
                follow.err().lines().toList());
        // exactly a verb's option, before the group's own -V one letter away
        Result output = run("services", "-o", "json", "list");
        assertEquals(2, output.code());
        assertTrue(
                output.err()
                        .contains("did you mean: autoreg-sidecar services COMMAND -o? (COMMAND: list, get, delete or"
                                + " maint)"),
                output.err());
        Result mistyped = run("events", "--folow");
        assertTrue(mistyped.err().contains("did you mean: autoreg-sidecar events list --follow?"), mistyped.err());
        Result port = run("--port", "8081", "run");
        assertTrue(
                port.err().contains("did you mean: autoreg-sidecar COMMAND --port? (COMMAND: run or exec)"),
                port.err());
        assertEquals("", follow.out() + output.out(), "nothing on stdout for a usage error");
    }

    @Test
    void showIsGet() {
        for (String group : List.of("services", "sessions", "configuration")) {
            Result help = run(group, "show", "--help");
            assertEquals(0, help.code(), group);
            assertTrue(help.out().startsWith("Usage: autoreg-sidecar " + group + " get "), help.out());
        }
    }

    @Test
    void aGroupWithoutItsVerbIsAUsageErrorNamingTheVerbs() {
        Result result = run("services");
        assertEquals(2, result.code());
        assertTrue(
                result.err().startsWith("error: missing sub-command: one of list, get, delete, maint"), result.err());
    }

    @Test
    void runWithNothingToWatchIsAUsageError() {
        Result result = run("run", "--registry-url", "http://127.0.0.1:1/v1.0/x");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("nothing to watch"), result.err());
        // a check described by flags but for its port: the missing flag is named
        Result noPort =
                run("run", "--check", "exec", "--command", "true", "--registry-url", "http://127.0.0.1:1/v1.0/x");
        assertEquals(2, noPort.code());
        assertTrue(
                noPort.err().startsWith("error: --port is missing: the neighbour's port, which every check registers"),
                noPort.err());
        // any flag of the check counts, not only those that say how to probe
        Result nameOnly = run("run", "--name", "orders", "--registry-url", "http://127.0.0.1:1/v1.0/x");
        assertEquals(2, nameOnly.code());
        assertTrue(nameOnly.err().startsWith("error: --port is missing"), nameOnly.err());
    }

    /**
     * The operator commands speak the Service Registry API only: pointed at etcd, Consul, Eureka or ZooKeeper they
     * said a bare "HTTP 404"; now what they read, and how to list what autoreg registered there, before any call.
     */
    @Test
    void operatorCommandsPointedAtAnotherEngineSayHowToListWhatAutoregRegisteredThere() {
        Result etcd = run("services", "list", "--set", "registry.type=etcd", "--registry-url", "http://127.0.0.1:1");
        assertEquals(2, etcd.code());
        assertTrue(
                etcd.err()
                        .startsWith("error: the operator commands read the Service Registry API (autoreg's registry"
                                + " server, or the original service), and autoreg.registry.type is etcd: what autoreg"
                                + " registered there is listed by etcdctl --endpoints http://127.0.0.1:1 get --prefix"
                                + " /autoreg/services/"),
                etcd.err());
        Result eureka = run(
                "events",
                "list",
                "--set",
                "registry.type=eureka",
                "--registry-url",
                "http://ops:s3cr3t@127.0.0.1:1/eureka");
        assertEquals(2, eureka.code());
        assertTrue(
                eureka.err().contains("curl -H 'Accept: application/json' http://ops:██@127.0.0.1:1/eureka/apps"),
                "the URL's password hidden: " + eureka.err());
        Result zookeeper = run(
                "sessions",
                "list",
                "--set",
                "registry.type=zookeeper",
                "--set",
                "registry.zookeeper.base-path=/discovery",
                "--registry-url",
                "127.0.0.1:1");
        assertEquals(2, zookeeper.code());
        assertTrue(zookeeper.err().contains("zkCli.sh -server 127.0.0.1:1 ls -R /discovery"), zookeeper.err());
    }

    @Test
    void aBadSettingExits2WithTheKeyAndWhereItCameFrom() {
        Result result = run("run", "--port", "8081", "--check", "udp");
        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("error: bad setting: autoreg.sidecar.check.type = \"udp\""), result.err());
        Result duration = run("run", "--port", "8081", "--interval", "often");
        assertEquals(2, duration.code());
        assertTrue(duration.err().contains("autoreg.sidecar.check.interval"), duration.err());
    }

    @Test
    void aBadSettingNamesTheFlagItCameFrom() {
        Result port = run("run", "--port", "http");
        assertEquals(2, port.code());
        assertTrue(
                port.err()
                        .startsWith(
                                "error: bad setting: autoreg.sidecar.check.port = \"http\" (command-line flag --port): "),
                port.err());
        Result set = run("run", "--port", "8081", "--set", "autoreg.sidecar.drain=forever");
        assertEquals(2, set.code());
        assertTrue(
                set.err()
                        .startsWith(
                                "error: bad setting: autoreg.sidecar.drain = \"forever\" (command-line flag autoreg.sidecar.drain): "),
                set.err());
        Result exec = run("exec", "--id=job-1", "--log-level", "loud", "--", "true");
        assertEquals(2, exec.code());
        assertTrue(
                exec.err()
                        .startsWith(
                                "error: bad setting: autoreg.log.level = \"loud\" (command-line flag --log-level): "),
                exec.err());
        assertFalse(
                port.err().contains("agent argument")
                        || set.err().contains("agent argument")
                        || exec.err().contains("agent argument"),
                "the sidecar has no agent arguments");
    }

    @Test
    void execRejectsAnIntervalOutsideTheRegistrysRange() {
        Result result = run("exec", "--id=x", "-i", "500", "--", "true");
        assertEquals(2, result.code());
        assertTrue(
                result.err().contains("--interval must be whole seconds within 3..120 (30 or 30s, 2m), got '500'"),
                result.err());
        Result unitless = run("exec", "--id=x", "--heartbeat-timeout", "30", "--", "true");
        assertEquals(2, unitless.code(), "durations carry a unit everywhere but in --interval");
        assertTrue(
                unitless.err().contains("--heartbeat-timeout must be whole seconds within 3..120 (30s, 2m), got '30'"),
                unitless.err());
    }

    @Test
    void theOutputFormatIsOneOfFiveWhicheverFlagNamesIt() {
        for (String flag : List.of("-o", "--output", "--format")) {
            Result result = run("services", "list", flag, "xml");
            assertEquals(2, result.code(), flag);
            assertTrue(result.err().contains("must be one of table, wide, json, yaml, csv; got 'xml'"), result.err());
        }
    }
}
