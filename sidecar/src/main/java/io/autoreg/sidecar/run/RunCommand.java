package io.autoreg.sidecar.run;

import io.autoreg.core.internal.backend.Backends;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.net.AddressResolver;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.sidecar.cli.FlagOverrides;
import io.autoreg.sidecar.cli.RegistryOptions;
import io.autoreg.sidecar.cli.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: health-check one or several neighbours and keep each registered while it is healthy,
 * until SIGTERM, which deregisters everything first and then exits. Its flags are shorthands for the
 * {@code autoreg.sidecar.check.*} keys (durations with a unit, validated by the settings loader, which
 * names the flag in its error).
 */
@Command(
        name = "run",
        sortOptions = false,
        description = {
            "Keeps a neighbour registered while it passes its health check (http, https, tcp, exec, grpc or grpcs).",
            "After RISE passes in a row it is registered, after FALL failures in a row deregistered, and registered again",
            "when it recovers. The neighbour's port is registered, never the sidecar's. SIGTERM deregisters, then exits.",
            "One neighbour by flags, or autoreg.sidecar.checks = [ {...}, ... ] in --config for several."
        })
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "the neighbour's port (required for a check given by flags)")
    String port;

    @Option(
            names = "--check",
            paramLabel = "TYPE",
            completionCandidates = CheckTypes.class,
            description =
                    "http (default: GET, a 2xx passes unless its JSON status says unhealthy) | https (the same over"
                            + " TLS, the certificate not verified) | tcp (connect) | exec (exit 0) | grpc (gRPC's"
                            + " health service answers SERVING) | grpcs (the same over TLS)")
    String check;

    @Option(names = "--path", paramLabel = "P", description = "http(s) path (default /health)")
    String path;

    @Option(
            names = "--grpc-service",
            paramLabel = "S",
            description = "grpc(s): the service asked about (default: the server as a whole)")
    String grpcService;

    @Option(names = "--host", paramLabel = "H", description = "where to probe (default 127.0.0.1)")
    String host;

    @Option(names = "--command", paramLabel = "CMD", description = "exec: shell command line (run with sh -c)")
    String command;

    @Option(names = "--interval", paramLabel = "DURATION", description = "between probes, with a unit (default 10s)")
    String interval;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "per probe, with a unit (default 2s)")
    String timeout;

    @Option(names = "--rise", paramLabel = "N", description = "passes in a row before registering (default 1)")
    String rise;

    @Option(names = "--fall", paramLabel = "N", description = "failures in a row before deregistering (default 3)")
    String fall;

    @Option(names = "--name", paramLabel = "NAME", description = "service name (default autoreg.service.name)")
    String name;

    @Option(names = "--id", paramLabel = "ID", description = "instance id (default <name>-<address>-<port>)")
    String id;

    @Option(
            names = {"-t", "--tags"},
            paramLabel = "TAGS",
            description = "tags, comma separated (a,b)")
    String tags;

    @Option(
            names = {"-m", "--metadata"},
            paramLabel = "PAIRS",
            description = "metadata pairs, comma separated (k=v,k2=v2)")
    String metadata;

    @Option(
            names = "--address",
            paramLabel = "A",
            description = "advertised address (default POD_IP, else the first site-local address)")
    String address;

    @Option(
            names = "--heartbeat-timeout",
            paramLabel = "DURATION",
            description = "registry-side time to live, with a unit (default 30s)")
    String heartbeatTimeout;

    @Option(
            names = "--http-port",
            paramLabel = "N",
            description = "own /healthz and /metrics: -1 off (default), 0 any free port")
    String httpPort;

    @Option(names = "--http-address", paramLabel = "A", description = "(default 0.0.0.0)")
    String httpAddress;

    @Mixin
    RegistryOptions registry;

    /** The completion candidates of {@code --check}: the values the setting allows. */
    static final class CheckTypes extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        CheckTypes() {
            super(SidecarSchema.CHECK_TYPE.allowed());
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        AutoregSettings settings =
                registry.load(this::checkFlags, SidecarSettings.DEFAULTS_RESOURCE, SidecarSchema.SCHEMA);
        SidecarSettings sidecar = SidecarSettings.from(settings);
        if (sidecar.checks().isEmpty()) {
            if (describesACheck()) {
                throw new UsageException("--port is missing: the neighbour's port, which every check registers");
            }
            throw new UsageException(
                    "nothing to watch: give --port N (and --check), or autoreg.sidecar.checks in --config");
        }
        AddressResolver.Advertised advertised =
                AddressResolver.resolve(settings.service().address(), System.getenv());
        List<Neighbour> neighbours = Neighbour.of(sidecar.checks(), settings.service(), advertised.address());
        if (!settings.enabled()) {
            out.println("autoreg-sidecar: autoreg.enabled=false, registering nothing");
            out.flush();
            new CountDownLatch(1).await();
        }
        Sidecar running = start(settings, sidecar, neighbours, out);
        out.println("autoreg-sidecar: advertising " + advertised.address() + " (" + advertised.source() + ")");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "autoreg-sidecar-shutdown"));
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * Whether any flag of the single check but its port was given: with no list in the file to take them as
     * defaults, the user meant one check and only left out the port.
     */
    private boolean describesACheck() {
        FlagOverrides given = new FlagOverrides();
        checkFlags(given);
        // the port is not among them here: with it, the single check would be in the settings
        return given.values().keySet().stream().anyMatch(key -> key.startsWith("sidecar.check."));
    }

    private void checkFlags(FlagOverrides overrides) {
        overrides
                .put("sidecar.check.port", port, "--port")
                .put("sidecar.check.type", check, "--check")
                .put("sidecar.check.host", host, "--host")
                .put("sidecar.check.path", path, "--path")
                .put("sidecar.check.grpc-service", grpcService, "--grpc-service")
                .put("sidecar.check.command", command, "--command")
                .put("sidecar.check.interval", interval, "--interval")
                .put("sidecar.check.timeout", timeout, "--timeout")
                .put("sidecar.check.rise", rise, "--rise")
                .put("sidecar.check.fall", fall, "--fall")
                .put("sidecar.check.name", name, "--name")
                .put("sidecar.check.id", id, "--id")
                .put("sidecar.check.tags", tags, "--tags")
                .put("sidecar.check.metadata", metadata, "--metadata")
                .put("service.address", address, "--address")
                .put("heartbeat.timeout", heartbeatTimeout, "--heartbeat-timeout")
                .put("sidecar.http-port", httpPort, "--http-port")
                .put("sidecar.http-address", httpAddress, "--http-address");
    }

    private static Sidecar start(
            AutoregSettings settings, SidecarSettings sidecar, List<Neighbour> neighbours, PrintWriter out)
            throws IOException {
        RegistryBackend backend = Backends.create(settings.registry());
        RegistrationManager manager = new RegistrationManager(backend, settings.heartbeat());
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor checks =
                new ScheduledThreadPoolExecutor(Math.min(4, neighbours.size()), runnable -> {
                    Thread thread = new Thread(runnable, "autoreg-check-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // metrics only when someone can scrape them: the JVM collectors are not free
        SidecarMetrics metrics = sidecar.httpPort() >= 0 ? new SidecarMetrics() : null;
        List<NeighbourWatcher> watchers = new ArrayList<>();
        for (Neighbour neighbour : neighbours) {
            watchers.add(
                    metrics == null
                            ? new NeighbourWatcher(
                                    neighbour,
                                    HealthCheck.of(neighbour.check()),
                                    manager,
                                    sidecar.drainFor(backend),
                                    sidecar.deregisterTimeout())
                            : new NeighbourWatcher(
                                    neighbour,
                                    HealthCheck.of(neighbour.check()),
                                    manager,
                                    sidecar.drainFor(backend),
                                    sidecar.deregisterTimeout(),
                                    metrics.checkSeconds(neighbour)::observe));
        }
        // the own endpoint first: if its port is taken the sidecar fails before anything is registered
        SidecarHttpServer http = null;
        if (metrics != null) {
            metrics.watch(watchers);
            http = new SidecarHttpServer(sidecar.httpAddress(), sidecar.httpPort(), watchers, metrics);
            out.println("autoreg-sidecar: /healthz and /metrics on port " + http.port());
        }
        for (NeighbourWatcher watcher : watchers) {
            Neighbour neighbour = watcher.neighbour();
            checks.scheduleWithFixedDelay(
                    watcher, 0, neighbour.check().interval().toMillis(), TimeUnit.MILLISECONDS);
            out.println("autoreg-sidecar: watching " + neighbour.check().target() + " every "
                    + neighbour.check().interval().toMillis() + " ms as "
                    + neighbour.instance().id());
        }
        return new Sidecar(backend, manager, checks, watchers, http, sidecar);
    }

    /** What a SIGTERM has to stop, in order: the checks, then the registrations, then the rest. */
    private record Sidecar(
            RegistryBackend backend,
            RegistrationManager manager,
            ScheduledThreadPoolExecutor checks,
            List<NeighbourWatcher> watchers,
            SidecarHttpServer http,
            SidecarSettings settings) {
        void stop() {
            watchers.forEach(NeighbourWatcher::stop);
            checks.shutdownNow();
            manager.deregisterAll(settings.drain(), settings.drain().plus(settings.deregisterTimeout()));
            manager.close();
            backend.close();
            if (http != null) {
                http.close();
            }
            Log.info("sidecar stopped: every neighbour deregistered");
        }
    }
}
