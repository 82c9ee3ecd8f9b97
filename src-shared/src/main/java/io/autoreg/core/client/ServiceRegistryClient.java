package io.autoreg.core.client;

import io.autoreg.core.client.model.AuthResponse;
import io.autoreg.core.client.model.Limits;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.SessionCreate;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.lifecycle.Backoff;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.UrlCredentials;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The Java client of the Service Registry API (docs/api.md), all of it: services,
 * sessions, configuration, events, limits and tokens, with the client behaviour of docs/api.md §8:
 * <ul>
 *   <li>one persistent connection pool — by default the one autoreg shares in the process; variants (the
 *       long poll) are derived from it and share its connections;</li>
 *   <li>on 401 it authenticates again at {@code /v2.0/tokens} and retries the call once;</li>
 *   <li>{@link ServicesApi#listAll(String)} serves the last good answer, marked stale, while the
 *       registry is unreachable;</li>
 *   <li>{@link #heartbeater(ServiceCreate)} keeps a registration alive by itself and never dies;</li>
 *   <li>{@link EventsApi#watch} follows the feed with the {@code wait=} long poll and inclusive markers.</li>
 * </ul>
 * Errors are {@link RegistryApiException}s (an IOException) carrying the fault body; unreachable
 * registries are plain IOExceptions.
 *
 * <pre>{@code
 * try (ServiceRegistryClient client = ServiceRegistryClient.builder()
 *         .url("http://127.0.0.1:8870/v1.0/7777").apiKey("ops", "secret").build()) {
 *     Heartbeater beat = client.heartbeater(ServiceCreate.withHeartbeat("api-1", 15, List.of("api"), Map.of())).start();
 *     ServiceList all = client.services().listAll(null);
 * }
 * }</pre>
 */
public final class ServiceRegistryClient implements AutoCloseable {

    private final Transport transport;
    private final Clock clock;
    private final Random random;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ServicesApi services;
    private final SessionsApi sessions;
    private final ConfigurationApi configuration;
    private final EventsApi events;
    private final ScheduledExecutorService injectedScheduler;
    private ScheduledExecutorService ownScheduler;

    private ServiceRegistryClient(Builder b) {
        HttpUrl base = HttpUrl.parse(Objects.requireNonNull(b.url, "url"));
        if (base == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + UrlCredentials.redacted(b.url));
        }
        if (!base.username().isEmpty() || !base.password().isEmpty()) {
            // the Service Registry API authenticates with X-Auth-Token: user info would be silently dropped
            throw new IllegalArgumentException("the URL's user:password@ is not sent to a Service Registry ("
                    + UrlCredentials.redacted(b.url) + "): give apiKey(username, apiKey) or token(token) instead");
        }
        this.clock = b.clock;
        this.random = b.random;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.injectedScheduler = b.scheduler;
        OkHttpClient http = b.http != null
                ? b.http
                : HttpClients.shared()
                        .newBuilder()
                        .connectTimeout(b.connectTimeout)
                        .readTimeout(b.requestTimeout)
                        .writeTimeout(b.requestTimeout)
                        .callTimeout(b.requestTimeout)
                        .build();
        Authenticator auth;
        if (b.username != null) {
            HttpUrl authUrl = b.authUrl != null
                    ? HttpUrl.parse(b.authUrl)
                    : base.newBuilder().encodedPath("/v2.0/tokens").query(null).build();
            if (authUrl == null) {
                throw new IllegalArgumentException("not an http(s) URL: " + b.authUrl);
            }
            auth = new Authenticator.ApiKey(http, authUrl, b.username, b.apiKey, clock);
        } else {
            auth = Authenticator.fixed(b.token);
        }
        this.transport = new Transport(http, base, auth);
        this.services = new ServicesApi(transport, clock);
        this.sessions = new SessionsApi(transport);
        this.configuration = new ConfigurationApi(transport);
        this.events = new EventsApi(transport, this);
    }

    /** The way to make a client: {@link Builder#url} is required, everything else has a default. */
    public static Builder builder() {
        return new Builder();
    }

    public ServicesApi services() {
        return services;
    }

    public SessionsApi sessions() {
        return sessions;
    }

    public ConfigurationApi configuration() {
        return configuration;
    }

    public EventsApi events() {
        return events;
    }

    /**
     * Follows the events feed: each event once and in order to {@code listener}, with the marker rule,
     * long polls, reconnects with backoff, {@code Retry-After} and gap detection handled (see
     * {@link EventsWatcher}). Runs on its own daemon thread until the returned watcher is closed.
     */
    public EventsWatcher watch(WatchOptions options, EventsListener listener) {
        return events.watch(options, listener);
    }

    /** {@code GET /limits}. */
    public Limits limits() throws IOException {
        return transport
                .<Limits>exchange(
                        "get limits", "GET", transport.url("limits").build(), null, Transport.type(Limits.class))
                .body();
    }

    /**
     * Authenticates now at the token endpoint and returns the token (id, expiry, tenant). Normally not
     * needed: calls authenticate on first use and again on 401.
     *
     * @throws IllegalStateException when the client was built without credentials
     */
    public AuthResponse.AccessToken authenticate() throws IOException {
        if (!(transport.auth() instanceof Authenticator.ApiKey apiKey)) {
            throw new IllegalStateException("this client has no username/api key to authenticate with");
        }
        return apiKey.authenticate();
    }

    /** A heartbeater for a service with its own {@code heartbeat_timeout}; call {@link Heartbeater#start()}. */
    public Heartbeater heartbeater(ServiceCreate service) {
        return Heartbeater.forService(this, service);
    }

    /** A heartbeater for a session and the services registered inside it; call {@link Heartbeater#start()}. */
    public Heartbeater sessionHeartbeater(SessionCreate session, List<ServiceCreate> services) {
        return Heartbeater.forSession(this, session, services);
    }

    /** The base URL, including {@code /v1.0/{tenant}}. */
    public String url() {
        return transport.base().toString();
    }

    /** Stops the client's heartbeater thread; the shared connection pool stays (it is the process's). */
    @Override
    public synchronized void close() {
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
            ownScheduler = null;
        }
    }

    // ---- for Heartbeater and EventsWatcher -------------------------------------------------------

    HeartbeatSettings heartbeatSettings(Duration timeout) {
        return new HeartbeatSettings(timeout, null, initialBackoff, maxBackoff);
    }

    Backoff backoffSettings() {
        return new Backoff(initialBackoff, maxBackoff, random);
    }

    Backoff backoffSettings(Duration initial, Duration max) {
        return new Backoff(initial, max, random);
    }

    RegistrationManager newManager(RegistryBackend backend, HeartbeatSettings heartbeat) {
        return new RegistrationManager(backend, heartbeat, scheduler(), clock, random);
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (injectedScheduler != null) {
            return injectedScheduler;
        }
        if (ownScheduler == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "autoreg-heartbeater");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            ownScheduler = executor;
        }
        return ownScheduler;
    }

    /** Builds a client; {@link #url} is required, everything else has a default. */
    public static final class Builder {
        private String url;
        private String token;
        private String username;
        private String apiKey;
        private String authUrl;
        private OkHttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();
        private Duration initialBackoff = HeartbeatSettings.DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = HeartbeatSettings.DEFAULT_MAX_BACKOFF;
        private ScheduledExecutorService scheduler;

        private Builder() {}

        /** The base URL including the version and tenant: {@code http://host:port/v1.0/{tenant}}. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** A static token (sent as {@code X-Auth-Token}); a 401 is then final. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Credentials for the token endpoint; tokens are obtained on first use and again on 401. */
        public Builder apiKey(String username, String apiKey) {
            this.username = username;
            this.apiKey = apiKey;
            return this;
        }

        /** The token endpoint; default {@code <scheme>://<host>:<port>/v2.0/tokens} of {@link #url}. */
        public Builder authUrl(String authUrl) {
            this.authUrl = authUrl;
            return this;
        }

        /**
         * The OkHttp client (TLS, proxies, interceptors); default a variant of autoreg's shared connection pool
         * with the {@link #timeouts} below, which then do not apply.
         */
        public Builder http(OkHttpClient http) {
            this.http = http;
            return this;
        }

        /** Connect timeout and whole-call timeout of every request; default 2 s and 5 s. */
        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = connect;
            this.requestTimeout = request;
            return this;
        }

        /** The heartbeaters' retry backoff after a failed beat or creation: first delay and cap. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** For tests: the time source of token expiry, heartbeat deadlines and the cache's timestamps. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** For tests: the source of the heartbeat and backoff jitter. */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        /** For tests: the scheduler heartbeaters run on (default: one daemon thread per client). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** @throws IllegalArgumentException when the URL or the token endpoint is not an http(s) URL */
        public ServiceRegistryClient build() {
            return new ServiceRegistryClient(this);
        }
    }
}
