package io.autoreg.registry;

import io.autoreg.registry.auth.HeartbeatTokens;
import io.autoreg.registry.auth.IssuedTokens;
import io.autoreg.registry.auth.LoginThrottle;
import io.autoreg.registry.auth.ServerSecret;
import io.autoreg.registry.auth.TokenAccess;
import io.autoreg.registry.auth.TokensRoute;
import io.autoreg.registry.auth.User;
import io.autoreg.registry.dashboard.DashboardRoute;
import io.autoreg.registry.http.AllowedHosts;
import io.autoreg.registry.http.HealthRoute;
import io.autoreg.registry.http.ReadyRoute;
import io.autoreg.registry.http.Route;
import io.autoreg.registry.limits.RateLimiter;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.metrics.Metrics;
import io.autoreg.registry.metrics.MetricsRoute;
import io.autoreg.registry.store.DataDirLock;
import io.autoreg.registry.store.FileJournal;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xnio.Options;

/**
 * The registry server, embeddable in tests:
 * {@code RegistryServer.builder().port(0).dataDir(dir).build().start()}.
 */
public final class RegistryServer implements AutoCloseable {
    private final ServerSettings settings;
    private final ServerClock clock;
    private final Metrics metrics = new Metrics();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Undertow undertow;
    private io.autoreg.registry.http.BufferPool buffers;
    private int port;
    private volatile FileJournal journal;
    private volatile LiveState live;
    private LiveState.Shared shared;
    private DataDirLock lock;
    private volatile boolean recovered;

    private RegistryServer(ServerSettings settings, ServerClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ServerSettings settings() {
        return settings;
    }

    /** Replays the data dir, then listens. */
    public synchronized RegistryServer start() {
        try {
            startUnchecked();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start the registry server: " + e.getMessage(), e);
        }
        return this;
    }

    private void startUnchecked() throws IOException {
        java.nio.file.Files.createDirectories(settings.dataDir());
        lock = DataDirLock.acquire(settings.dataDir());
        ActivityLog log = ActivityLog.stderr(settings.logFormat());
        resources.add(log);
        HeartbeatTokens tokens = new HeartbeatTokens(ServerSecret.loadOrCreate(settings.dataDir()));
        RateLimiter rateLimiter = new RateLimiter(settings.quotas(), clock);
        IssuedTokens issued = new IssuedTokens(settings.users(), settings.tokenTtl(), clock);
        Map<String, Route> plain = new HashMap<>();
        rateLimiter.register(metrics.registry());
        io.autoreg.registry.limits.QuotaMetrics.register(metrics.registry(), settings::quotas);
        LoginThrottle loginThrottle = new LoginThrottle(
                settings.users().stream().map(User::username).collect(java.util.stream.Collectors.toSet()), clock);
        plain.put("/healthz", new HealthRoute(() -> journal != null && journal.healthy()));
        plain.put("/readyz", new ReadyRoute(() -> recovered, () -> journal != null && journal.healthy()));
        plain.put("/metrics", new MetricsRoute(metrics));
        plain.put("/openapi.json", new io.autoreg.registry.http.OpenApiRoute());
        plain.putAll(DashboardRoute.routes(settings.open()));
        plain.put("/v2.0/tokens", new TokensRoute(issued, settings.open(), loginThrottle, this::publicUrl, log));
        shared = new LiveState.Shared(
                settings,
                clock,
                metrics,
                tokens,
                rateLimiter,
                new TokenAccess(
                        settings.open(), settings.staticTokens(), issued, rateLimiter, settings.registro(), log),
                new AllowedHosts(settings.open(), settings.bind(), settings.allowedHosts()),
                plain,
                log);
        LiveState first = new LiveState(shared);
        live = first;
        journal = FileJournal.open(
                settings.dataDir().resolve("journal"),
                metrics,
                settings.compactAfterBytes(),
                first.records::apply,
                out -> live.records.snapshot(out));
        resources.add(0, journal);
        first.arm(journal, journal.epoch());
        journal.rollback(this::rebuild);
        recovered = true;
        metrics.liveCounts(() -> live.services.liveByTenant(), () -> live.sessions.liveByTenant());
        metrics.watchers(() -> live.parkedLongPolls(), () -> live.openStreams());

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autoreg-housekeeping");
            t.setDaemon(true);
            return t;
        });
        Runnable prune = () -> {
            try {
                metrics.eventsPruned(live.events.prune());
            } catch (RuntimeException e) {
                System.err.println("[autoreg] registry: pruning events failed: " + e);
            }
        };
        // at once too: a cap lowered since the events were journaled applies from the start, not a minute later
        housekeeping.scheduleWithFixedDelay(prune, 0, 1, TimeUnit.MINUTES);
        // Unregistered before the executor shuts down (resources close in order), so a jump never hits a dead executor.
        resources.add(clock.onJump(() -> housekeeping.execute(prune)));
        resources.add(housekeeping::shutdownNow);

        // 8 KiB direct buffers (requests and answers are small; bodies ≤ 5000 bytes, big list pages are
        // written from their own array); 256 shared = 2 MiB of direct memory beyond the threads' own.
        buffers = new io.autoreg.registry.http.BufferPool(8192, true, 256);
        undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.bind())
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(4)
                .setWorkerOption(Options.WORKER_NAME, "autoreg-http")
                // Without a lock per buffer, unlike Undertow's default pool (BufferPool, docs/benchmarks.md).
                .setByteBufferPool(buffers)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                // One nanoTime per request: the start that /metrics' request latency histogram measures from.
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, true)
                // Bodies are bounded per request (Bodies); this only bounds how much of an oversize body
                // is read and discarded after its 413 so the client can still read the answer.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 16L * 1024 * 1024)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // A client that trickles its request headers is cut off; idle keep-alive connections live long
                // enough for heartbeats every ~100 s (the longest timeout is 120 s) and 60 s long polls.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 300_000)
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .setSocketOption(Options.BACKLOG, 1024)
                // Answers Expect: 100-continue when a body is first read; an oversize body is refused without it.
                .setHandler(new io.undertow.server.handlers.HttpContinueReadHandler(this::handle))
                .build();
        undertow.start();
        io.autoreg.registry.http.FramingFaults.install(undertow);
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * After a failed journal write (on the journal's thread, which writes nothing meanwhile): a new state
     * from what the disk holds replaces the one that holds the refused writes. Requests already running
     * on the old state finish there; their writes are refused, as they carry the old epoch.
     */
    private void rebuild(long epoch) throws IOException {
        LiveState next = new LiveState(shared);
        journal.replayInto(next.records::apply);
        next.arm(journal, epoch);
        LiveState old = live;
        live = next;
        old.close();
        System.err.println("[autoreg] registry: the state was rebuilt from the disk after a failed write: "
                + next.services.liveCount() + " services, " + next.sessions.liveCount() + " sessions");
    }

    /**
     * A read waits until every write accepted before it arrived is stored or refused (at most one group
     * commit, and only while writes are in flight), so it never shows a change that a crash or a failed
     * write would take back. Writes and heartbeats go straight on.
     */
    private void handle(HttpServerExchange exchange) throws Exception {
        FileJournal store = journal;
        if (store != null && exchange.getRequestMethod().equals(Methods.GET)) {
            long upTo = store.accepted();
            if (!store.settled(upTo)) {
                exchange.dispatch(
                        SameThreadExecutor.INSTANCE,
                        () -> store.whenSettled(
                                upTo,
                                () -> exchange.dispatch(exchange.getIoThread(), e -> live.handler.handleRequest(e))));
                return;
            }
        }
        live.handler.handleRequest(exchange);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port;
    }

    /** The base URL clients are told about: {@code autoreg.server.public-url}, else {@link #baseUrl()}. */
    public String publicUrl() {
        return settings.publicUrl() != null ? settings.publicUrl() : baseUrl();
    }

    /** Forces a snapshot and a new journal (for tests of recovery from a snapshot). */
    public void compact() {
        journal.compactSoon();
    }

    @Override
    public synchronized void close() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
        if (buffers != null) {
            buffers.close();
            buffers = null;
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("[autoreg] registry: closing " + resource + " failed: " + e);
            }
        }
        resources.clear();
        if (live != null) {
            live.close();
            live = null;
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                System.err.println("[autoreg] registry: releasing the data dir lock failed: " + e);
            }
            lock = null;
        }
    }

    /** Builds a server from settings (defaults: {@code autoreg.server.*} of the built-in config). */
    public static final class Builder {
        private ServerSettings base;
        private String bind;
        private Integer port;
        private Path dataDir;
        private Path configFile;
        private ServerClock clock = ServerClock.system();

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder configFile(Path configFile) {
            this.configFile = configFile;
            return this;
        }
        /** Settings from a HOCON text (keys under autoreg.server), e.g. users, tokens and quotas for tests. */
        public Builder config(String hocon) {
            this.base = ServerSettings.load(configFile, com.typesafe.config.ConfigFactory.parseString(hocon));
            return this;
        }

        public Builder settings(ServerSettings settings) {
            this.base = settings;
            return this;
        }
        /** The server's time (default {@link ServerClock#system()}); tests move a clock of their own. */
        public Builder clock(ServerClock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        public RegistryServer build() {
            ServerSettings s = base != null ? base : ServerSettings.load(configFile);
            return new RegistryServer(
                    s.withListen(
                            bind != null ? bind : s.bind(),
                            port != null ? port : s.port(),
                            dataDir != null ? dataDir : s.dataDir()),
                    clock);
        }
    }
}
