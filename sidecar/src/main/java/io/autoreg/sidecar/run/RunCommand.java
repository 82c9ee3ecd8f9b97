package io.autoreg.sidecar.run;

import io.autoreg.core.backend.Backends;
import io.autoreg.core.backend.RegistryBackend;
import io.autoreg.core.lifecycle.RegistrationManager;
import io.autoreg.core.log.Log;
import io.autoreg.core.net.AddressResolver;
import io.autoreg.core.settings.AutoregSettings;
import io.autoreg.core.settings.SettingsLoader;
import io.autoreg.sidecar.cli.Command;
import io.autoreg.sidecar.cli.FlagOverrides;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code run}: health-check one or several neighbours and keep each registered while it is healthy,
 * until SIGTERM, which deregisters everything first and then exits.
 */
public final class RunCommand implements Command {

    /** Flag → settings key (relative to {@code autoreg.}); the flags are shorthands for the HOCON keys. */
    private static final Map<String, String> FLAG_KEYS = flagKeys();

    private static Map<String, String> flagKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("port", "sidecar.check.port");
        keys.put("check", "sidecar.check.type");
        keys.put("host", "sidecar.check.host");
        keys.put("path", "sidecar.check.path");
        keys.put("command", "sidecar.check.command");
        keys.put("interval", "sidecar.check.interval");
        keys.put("timeout", "sidecar.check.timeout");
        keys.put("rise", "sidecar.check.rise");
        keys.put("fall", "sidecar.check.fall");
        keys.put("name", "sidecar.check.name");
        keys.put("id", "sidecar.check.id");
        keys.put("tags", "sidecar.check.tags");
        keys.put("metadata", "sidecar.check.metadata");
        keys.put("address", "service.address");
        keys.put("registry-url", "registry.url");
        keys.put("token", "registry.token");
        keys.put("heartbeat-timeout", "heartbeat.timeout");
        keys.put("http-port", "sidecar.http-port");
        keys.put("http-address", "sidecar.http-address");
        keys.put("log-level", "log.level");
        return keys;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "health-check neighbours and keep them registered while healthy";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "usage: autoreg-sidecar run [--config FILE] [--port N --check http|tcp|exec ...] [--set KEY=VALUE]...",
                "",
                "Watches the neighbour(s) and registers each while it passes its check: after RISE passes in a row",
                "it is registered, after FALL failures in a row deregistered, and registered again when it recovers.",
                "The neighbour's port is registered, never the sidecar's. SIGTERM deregisters, then exits.",
                "",
                "one neighbour (or autoreg.sidecar.checks = [ {...}, ... ] in the config file for several):",
                "  --port N             the neighbour's port (required for a check given by flags)",
                "  --check TYPE         http (default: GET, 2xx and {\"status\":\"UP\"} pass) | tcp (connect) | exec (exit 0)",
                "  --path P             http path (default /health)",
                "  --host H             where to probe (default 127.0.0.1)",
                "  --command CMD        exec: shell command line (run with sh -c)",
                "  --interval D         between probes, with a unit (default 10s)",
                "  --timeout D          per probe (default 2s)",
                "  --rise N / --fall N  passes before registering (default 1) / failures before deregistering (default 3)",
                "  --name NAME          service name (default autoreg.service.name)",
                "  --id ID              instance id (default <name>-<address>-<port>)",
                "  --tags a,b  --metadata k=v,k2=v2",
                "registration:",
                "  --registry-url URL   (AUTOREG_REGISTRY_URL)   --token T (AUTOREG_TOKEN)",
                "  --address A          advertised address (default POD_IP, else the first site-local address)",
                "  --heartbeat-timeout D  registry-side time to live (default 30s)",
                "sidecar:",
                "  --http-port N        own /healthz and /metrics: -1 off (default), 0 any free port",
                "  --http-address A     (default 0.0.0.0)",
                "  --config FILE        HOCON settings (AUTOREG_CONFIG); flags > -Dautoreg.* > AUTOREG_* env > file",
                "  --set KEY=VALUE      any setting, key relative to autoreg. (e.g. --set sidecar.drain=5s)",
                "  --log-level L        error | warn (default) | info | debug");
    }

    private static Options options() {
        Options options = new Options().value("config").value("set");
        FLAG_KEYS.keySet().forEach(options::value);
        return options;
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        ParsedArgs args = options().parse(argv);
        if (args.help()) {
            out.println(usage());
            return 0;
        }
        if (!args.positionals().isEmpty()) {
            throw new UsageException("run takes no arguments, got " + String.join(" ", args.positionals()));
        }
        FlagOverrides overrides = overrides(args);
        AutoregSettings settings = SettingsLoader.load(overrides.values(), overrides::origin, System.getProperties(), System.getenv(),
                args.value("config") == null ? null : Path.of(args.value("config")),
                SidecarSettings.DEFAULTS_RESOURCE, RunCommand.class.getClassLoader());
        SidecarSettings sidecar = SidecarSettings.from(settings);
        if (sidecar.checks().isEmpty()) {
            throw new UsageException("nothing to watch: give --port N (and --check), or autoreg.sidecar.checks in --config");
        }
        AddressResolver.Advertised address = AddressResolver.resolve(settings.service().address(), System.getenv());
        List<Neighbour> neighbours = Neighbour.of(sidecar.checks(), settings.service(), address.address());
        if (!settings.enabled()) {
            out.println("autoreg-sidecar: autoreg.enabled=false, registering nothing");
            out.flush();
            new CountDownLatch(1).await();
        }
        Sidecar running = start(settings, sidecar, neighbours, out);
        out.println("autoreg-sidecar: advertising " + address.address() + " (" + address.source() + ")");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "autoreg-sidecar-shutdown"));
        new CountDownLatch(1).await();
        return 0;
    }

    private static FlagOverrides overrides(ParsedArgs args) {
        FlagOverrides overrides = new FlagOverrides();
        for (String pair : args.values("set")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set expects KEY=VALUE, got '" + pair + "'");
            }
            String key = pair.substring(0, eq).trim();
            overrides.set(key.startsWith("autoreg.") ? key.substring("autoreg.".length()) : key, pair.substring(eq + 1));
        }
        FLAG_KEYS.forEach((flag, key) -> {
            if (args.has(flag)) {
                overrides.put(key, args.value(flag), "--" + flag);
            }
        });
        return overrides;
    }

    private static Sidecar start(AutoregSettings settings, SidecarSettings sidecar, List<Neighbour> neighbours,
                                 PrintStream out) throws IOException {
        RegistryBackend backend = Backends.create(settings.registry());
        RegistrationManager manager = new RegistrationManager(backend, settings.heartbeat());
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor checks = new ScheduledThreadPoolExecutor(Math.min(4, neighbours.size()), runnable -> {
            Thread thread = new Thread(runnable, "autoreg-check-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<NeighbourWatcher> watchers = new ArrayList<>();
        for (Neighbour neighbour : neighbours) {
            watchers.add(new NeighbourWatcher(neighbour, HealthCheck.of(neighbour.check()), manager,
                    sidecar.drainFor(backend), sidecar.deregisterTimeout()));
        }
        // the own endpoint first: if its port is taken the sidecar fails before anything is registered
        SidecarHttpServer http = null;
        if (sidecar.httpPort() >= 0) {
            http = new SidecarHttpServer(sidecar.httpAddress(), sidecar.httpPort(), watchers);
            out.println("autoreg-sidecar: /healthz and /metrics on port " + http.port());
        }
        for (NeighbourWatcher watcher : watchers) {
            Neighbour neighbour = watcher.neighbour();
            checks.scheduleWithFixedDelay(watcher, 0, neighbour.check().interval().toMillis(), TimeUnit.MILLISECONDS);
            out.println("autoreg-sidecar: watching " + neighbour.check().target() + " every "
                    + neighbour.check().interval().toMillis() + " ms as " + neighbour.instance().id());
        }
        return new Sidecar(backend, manager, checks, watchers, http, sidecar);
    }

    /** What a SIGTERM has to stop, in order: the checks, then the registrations, then the rest. */
    private record Sidecar(RegistryBackend backend, RegistrationManager manager, ScheduledThreadPoolExecutor checks,
                           List<NeighbourWatcher> watchers, SidecarHttpServer http, SidecarSettings settings) {
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
