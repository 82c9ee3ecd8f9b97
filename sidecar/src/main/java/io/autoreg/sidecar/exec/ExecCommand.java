package io.autoreg.sidecar.exec;

import io.autoreg.core.internal.backend.Backends;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.net.AddressResolver;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.sidecar.cli.DurationText;
import io.autoreg.sidecar.cli.KeyValues;
import io.autoreg.sidecar.cli.RegistryOptions;
import io.autoreg.sidecar.cli.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code exec}: the original process wrapper. Spawns the command with stdin/stdout/stderr inherited,
 * registers it and heartbeats while it lives, forwards SIGTERM/SIGINT/SIGHUP to it, deregisters when it
 * ends and exits with its exit code (128+N when a signal N ended it).
 *
 * <p>A registry failure only warns (the lifecycle keeps retrying with backoff) unless
 * {@code --abort-on-failure}: then a first registration attempt that fails stops the command and exits
 * {@value #REGISTRATION_FAILED}.
 */
@Command(
        name = "exec",
        sortOptions = false,
        description = {
            "Runs CMD and keeps it registered while it lives.",
            "stdin/stdout/stderr pass through, SIGTERM, SIGINT and SIGHUP are forwarded to it; it is deregistered when it",
            "ends, and the sidecar exits with its exit code.",
            "The first argument that is not an option starts CMD; '--' before it is optional."
        })
public final class ExecCommand implements Callable<Integer> {
    static final int REGISTRATION_FAILED = 100;
    static final int COMMAND_NOT_RUN = 127;
    /** How long a stopped child gets between SIGTERM and SIGKILL. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(120);

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID", description = "service id (default <name>-<address>[-<port>])")
    String id;

    @Option(names = "--name", paramLabel = "NAME", description = "service name (default: CMD's file name)")
    String name;

    @Option(
            names = {"-t", "--tags"},
            paramLabel = "TAGS",
            description = "tags, comma separated (a,b); repeatable")
    List<String> tags = new ArrayList<>();

    @Option(
            names = {"-m", "--metadata"},
            paramLabel = "PAIRS",
            description = "metadata pairs, comma separated (k=v,k2=v2); repeatable")
    List<String> metadata = new ArrayList<>();

    @Option(
            names = "--heartbeat-timeout",
            paramLabel = "DURATION",
            description = "registry-side time to live, 3s..120s in whole seconds (default 30s)")
    String heartbeatTimeout;

    @Option(
            names = {"-i", "--interval"},
            paramLabel = "SECONDS",
            description = "the original wrapper's name for --heartbeat-timeout: bare seconds (30) or with a unit (30s)")
    String interval;

    @Option(
            names = "--abort-on-failure",
            description = "if registering fails, stop CMD and exit 100 (default: warn, keep retrying)")
    boolean abortOnFailure;

    @Option(names = "--port", paramLabel = "N", description = "a port to advertise for CMD (also metadata port)")
    Integer port;

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "CMD", description = "the command and its arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (command.isEmpty()) {
            throw new UsageException("no command to run: exec [options] [--] CMD ARGS...");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new UsageException("--port must be 1..65535, got " + port);
        }
        String timeout = heartbeatTimeout != null
                ? seconds(heartbeatTimeout, "--heartbeat-timeout", false)
                : interval != null ? seconds(interval, "--interval", true) : null;
        Map<String, String> pairs = KeyValues.map("metadata", metadata);
        AutoregSettings settings = registry.load(
                overrides -> overrides
                        .put("service.id", id, "--id")
                        .put("service.name", name, "--name")
                        .put("service.tags", tags.isEmpty() ? null : String.join(",", KeyValues.list(tags)), "--tags")
                        .put(
                                "service.metadata",
                                pairs.isEmpty()
                                        ? null
                                        : pairs.entrySet().stream()
                                                .map(e -> e.getKey() + "=" + e.getValue())
                                                .collect(Collectors.joining(",")),
                                "--metadata")
                        // the default, 30 s, is autoreg.heartbeat.timeout's own (also settable by env or file)
                        .put(
                                "heartbeat.timeout",
                                timeout,
                                heartbeatTimeout != null ? "--heartbeat-timeout" : "--interval"),
                null,
                List.of());
        PrintWriter err = spec.commandLine().getErr();

        SignalForwarder signals = new SignalForwarder();
        boolean handlersInstalled = signals.install();
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            // the shell's convention (and env's, nohup's): 127 when the command cannot be run
            err.println("autoreg-sidecar: cannot run " + command.get(0) + ": " + whyNotRun(e, command.get(0)));
            err.flush();
            return COMMAND_NOT_RUN;
        }
        signals.attach(child);
        if (!handlersInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "autoreg-exec-shutdown"));
        }
        if (!settings.enabled()) {
            return child.waitFor();
        }

        RegistryBackend backend = Backends.create(settings.registry());
        RegistrationManager manager = new RegistrationManager(backend, settings.heartbeat());
        try {
            Registration registration = manager.register(instance(settings, child));
            if (abortOnFailure && !firstAttemptSucceeded(registration, settings)) {
                err.println("autoreg-sidecar: registering "
                        + registration.instance().id()
                        + " failed and --abort-on-failure is set: stopping " + command.get(0)
                        + " and exiting " + REGISTRATION_FAILED);
                err.flush();
                registration.deregister(Duration.ofSeconds(1));
                stop(child);
                return REGISTRATION_FAILED;
            }
            int code = child.waitFor();
            registration.deregister(settings.registry().requestTimeout());
            return code;
        } finally {
            manager.close();
            backend.close();
        }
    }

    /**
     * The heartbeat timeout as whole seconds within the registry's 3..120, as the settings key wants it
     * ({@code 30s}). Bare seconds only where the original wrapper took them ({@code --interval}).
     */
    static String seconds(String text, String flag, boolean bareSecondsToo) {
        Duration duration = bareSecondsToo && text.trim().matches("\\d{1,9}")
                ? Duration.ofSeconds(Long.parseLong(text.trim()))
                : DurationText.parse(text);
        if (duration == null
                || duration.toMillis() % 1000 != 0
                || duration.compareTo(MIN_TIMEOUT) < 0
                || duration.compareTo(MAX_TIMEOUT) > 0) {
            throw new UsageException(flag + " must be whole seconds within 3..120 ("
                    + (bareSecondsToo ? "30 or 30s" : "30s") + ", 2m), got '" + text + "'");
        }
        return duration.toSeconds() + "s";
    }

    /**
     * Waits for the outcome of the first registration call: registered, or at least one failed attempt
     * (the lifecycle would retry forever; {@code --abort-on-failure} means the first failure counts). The
     * wait is bounded by one connect + request timeout.
     */
    private static boolean firstAttemptSucceeded(Registration registration, AutoregSettings settings)
            throws InterruptedException {
        Duration bound = settings.registry()
                .connectTimeout()
                .plus(settings.registry().requestTimeout())
                .plusSeconds(1);
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (registration.awaitState(RegistrationState.REGISTERED, Duration.ofMillis(50))) {
                return true;
            }
            if (registration.failures() > 0) {
                return false;
            }
        }
        return registration.state() == RegistrationState.REGISTERED;
    }

    private ServiceInstance instance(AutoregSettings settings, Process child) {
        String address = AddressResolver.advertised(settings.service().address(), System.getenv());
        String name = settings.service().name() != null
                ? settings.service().name()
                : Path.of(command.get(0)).getFileName().toString();
        int port = this.port == null ? 0 : this.port;
        String id = settings.service().id() != null
                ? settings.service().id()
                : (name + "-" + address + (port == 0 ? "" : "-" + port)).replaceAll("[^a-zA-Z0-9_.-]", "-");
        Map<String, String> metadata = new LinkedHashMap<>(settings.service().metadata());
        metadata.put("host", address);
        if (port != 0) {
            metadata.put("port", String.valueOf(port));
        }
        metadata.put("pid", String.valueOf(child.pid()));
        metadata.put("registered_by", "autoreg-sidecar exec");
        return new ServiceInstance(id, name, address, port, settings.service().tags(), metadata);
    }

    /** SIGTERM to the child and its descendants, SIGKILL after the grace period. */
    private static void stop(Process child) {
        List<ProcessHandle> descendants = child.descendants().toList();
        child.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!child.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                Log.warn(
                        "command " + child.pid() + " ignored SIGTERM for " + KILL_GRACE.toSeconds() + " s: killing it");
                child.destroyForcibly();
                child.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The errno and its text in the JDK's message for a program it could not start. */
    private static final Pattern ERRNO = Pattern.compile("error=(\\d+), (.*)");

    /**
     * The reason in a shell's words: the JDK's {@code Cannot run program "x": error=2, No such file or directory} names
     * the command twice and hides the cause in errno's text; a bare name not found means it is not on the PATH.
     */
    static String whyNotRun(IOException e, String program) {
        String message = String.valueOf(e.getMessage());
        Matcher errno = ERRNO.matcher(message);
        if (!errno.find()) {
            return Log.describe(e);
        }
        String reason = errno.group(2).toLowerCase(Locale.ROOT);
        switch (errno.group(1)) {
            case "2":
                return program.contains("/")
                        ? reason
                        : "not found on the PATH (" + String.valueOf(System.getenv("PATH")) + ")";
            case "13":
                return reason + " (not executable, or a directory?)";
            default:
                return reason;
        }
    }
}
