package io.autoreg.sidecar.exec;

import io.autoreg.core.backend.Backends;
import io.autoreg.core.backend.RegistryBackend;
import io.autoreg.core.lifecycle.Registration;
import io.autoreg.core.lifecycle.RegistrationManager;
import io.autoreg.core.lifecycle.RegistrationState;
import io.autoreg.core.log.Log;
import io.autoreg.core.model.ServiceInstance;
import io.autoreg.core.net.AddressResolver;
import io.autoreg.core.settings.AutoregSettings;
import io.autoreg.core.settings.SettingsLoader;
import io.autoreg.sidecar.cli.Command;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code exec}: the original process wrapper. Spawns the command with stdin/stdout/stderr inherited,
 * registers it and heartbeats while it lives, forwards SIGTERM/SIGINT/SIGHUP to it, deregisters when it
 * ends and exits with its exit code (128+N when a signal N ended it).
 *
 * <p>A registry failure only warns (the lifecycle keeps retrying with backoff) unless
 * {@code --abort-on-failure}: then a first registration attempt that fails stops the command and exits
 * {@value #REGISTRATION_FAILED}.
 */
public final class ExecCommand implements Command {
    static final int REGISTRATION_FAILED = 100;
    static final int COMMAND_NOT_RUN = 127;
    /** How long a stopped child gets between SIGTERM and SIGKILL. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String summary() {
        return "run a command, registered and heartbeated while it lives";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "usage: autoreg-sidecar exec --id=ID [--tags=a,b] [--metadata=k=v,k2=v2] [--interval=SECONDS]",
                "                            [--abort-on-failure] [--] CMD ARGS...",
                "",
                "Runs CMD with stdout/stderr passed through, registers it while it lives, forwards SIGTERM, SIGINT",
                "and SIGHUP to it, and exits with its exit code.",
                "  --id ID              service id (default <name>-<address>[-<port>])",
                "  -t, --tags a,b       tags",
                "  -m, --metadata k=v   metadata pairs, comma separated",
                "  -i, --interval N     heartbeat timeout in seconds, 3..120 (default 30)",
                "  --abort-on-failure   if registering fails, stop CMD and exit 100 (default: warn, keep running)",
                "  --name NAME          service name (default: CMD's file name)",
                "  --port N             a port to advertise for CMD (metadata port)",
                "  --registry-url URL   (AUTOREG_REGISTRY_URL)  --token T (AUTOREG_TOKEN)",
                "  --username U --api-key K   token endpoint credentials",
                "  --config FILE        HOCON settings (AUTOREG_CONFIG)",
                "  --log-level L        error | warn (default) | info | debug");
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        ParsedArgs args = ExecOptions.options().parse(argv);
        if (args.help()) {
            out.println(usage());
            return 0;
        }
        ExecOptions options = ExecOptions.from(args);
        AutoregSettings settings = SettingsLoader.load(options.overrides().values(), options.overrides()::origin,
                System.getProperties(), System.getenv(), options.config() == null ? null : Path.of(options.config()),
                null, ExecCommand.class.getClassLoader());

        SignalForwarder signals = new SignalForwarder();
        boolean handlersInstalled = signals.install();
        Process child;
        try {
            child = new ProcessBuilder(options.command()).inheritIO().start();
        } catch (IOException e) {
            // the shell's convention (and env's, nohup's): 127 when the command cannot be run
            err.println("autoreg-sidecar: cannot run " + options.command().get(0) + ": " + Log.describe(e));
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
            Registration registration = manager.register(instance(settings, options, child));
            if (options.abortOnFailure() && !firstAttemptSucceeded(registration, settings)) {
                err.println("autoreg-sidecar: registering " + registration.instance().id()
                        + " failed and --abort-on-failure is set: stopping " + options.command().get(0)
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
     * Waits for the outcome of the first registration call: registered, or at least one failed attempt
     * (the lifecycle would retry forever; {@code --abort-on-failure} means the first failure counts). The
     * wait is bounded by one connect + request timeout.
     */
    private static boolean firstAttemptSucceeded(Registration registration, AutoregSettings settings) throws InterruptedException {
        Duration bound = settings.registry().connectTimeout().plus(settings.registry().requestTimeout()).plusSeconds(1);
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

    private static ServiceInstance instance(AutoregSettings settings, ExecOptions options, Process child) {
        String address = AddressResolver.advertised(settings.service().address(), System.getenv());
        String name = settings.service().name() != null ? settings.service().name()
                : Path.of(options.command().get(0)).getFileName().toString();
        int port = options.port() == null ? 0 : options.port();
        String id = settings.service().id() != null ? settings.service().id()
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
                Log.warn("command " + child.pid() + " ignored SIGTERM for " + KILL_GRACE.toSeconds() + " s: killing it");
                child.destroyForcibly();
                child.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
