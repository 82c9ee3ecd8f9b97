package io.autoreg.registry;

import io.autoreg.core.internal.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * {@code autoreg.server.*}, declared once: {@link ServerSettings} takes its ranges from here,
 * {@code ServerSchemaTest} holds {@code registry-defaults.conf} to the same keys and defaults, and
 * {@code docs/settings.md} is generated from it. {@link RegistryMain#environment} reads the variable of every
 * scalar key; lists and objects are set in the config file or as system properties.
 */
public final class ServerSchema {

    public static final Setting BIND = Setting.string("server.bind", "127.0.0.1")
            .described("Address the server listens on (--bind); loopback unless set.");
    public static final Setting PORT = Setting.integer("server.port", 8870, 0, 65535)
            .described("Port the server listens on (--port); 0: any free port.");
    public static final Setting DATA_DIR = Setting.string("server.data-dir", "autoreg-data")
            .described("Directory of the journal and snapshots (--data).");
    public static final Setting USERS = Setting.objects("server.users")
            .notFromEnvironment()
            .described("Users of /v2.0/tokens: objects with username, api-key and tenant.");
    public static final Setting TOKEN_TTL = Setting.duration(
                    "server.token-ttl", "24h", Duration.ofSeconds(1), Duration.ofDays(365))
            .described("Lifetime of a token issued by /v2.0/tokens.");
    public static final Setting TOKENS = Setting.map("server.tokens")
            .notFromEnvironment()
            .described("Static tokens and the tenant each opens, e.g. { \"my-token\" = \"7777\" }.");
    public static final Setting ALLOWED_HOSTS = Setting.list("server.allowed-hosts")
            .notFromEnvironment()
            .described("Open server only: Host header names accepted besides loopback and the server's own address.");
    public static final Setting PUBLIC_URL = Setting.string("server.public-url", null)
            .described("Base URL the token answer's service catalogue points at; the listening address when not set.");
    public static final Setting REGISTRO_TENANT = Setting.string("server.registro.tenant", null)
            .described("The tenant the Registro dialect acts as on a secured server; any valid token's when not set.");
    public static final Setting REGISTRO_REQUIRE_TOKEN = Setting.bool("server.registro.require-token", true)
            .described("false lets tokenless Registro clients in as registro.tenant (which is then required).");
    public static final Setting QUOTA_SERVICES =
            Setting.integer("server.quotas.service", 10_000, 0, 10_000_000).described("Services per tenant.");
    public static final Setting QUOTA_SESSIONS =
            Setting.integer("server.quotas.session", 10_000, 0, 10_000_000).described("Sessions per tenant.");
    public static final Setting QUOTA_CONFIGURATION = Setting.integer(
                    "server.quotas.configuration-value", 10_000, 0, 10_000_000)
            .described("Configuration values per tenant.");
    public static final Setting RATE_READS = Setting.integer("server.rate-limit.reads", 300_000, 1, 1_000_000_000)
            .described("GETs per tenant and window; over it, 429 with Retry-After.");
    public static final Setting RATE_WRITES = Setting.integer("server.rate-limit.writes", 60_000, 1, 1_000_000_000)
            .described("Other requests per tenant and window, heartbeats excepted (they never count).");
    public static final Setting RATE_WINDOW = Setting.duration(
                    "server.rate-limit.window", "1m", Duration.ofSeconds(1), Duration.ofDays(365))
            .described("The window the read and write budgets are counted in.");
    public static final Setting EVENT_RETENTION = Setting.duration(
                    "server.events.retention", "30d", Duration.ofMinutes(1), Duration.ofDays(3650))
            .described("How long events are kept.");
    public static final Setting EVENTS_PER_TENANT = Setting.integer(
                    "server.events.max-per-tenant", 200_000, 100, 100_000_000)
            .described("Events kept per tenant at most; the oldest go first.");
    public static final Setting EVENTS_TOTAL = Setting.integer("server.events.max-total", 200_000, 100, 1_000_000_000)
            .described("Events kept in all tenants together at most, the oldest of any tenant going first: an event"
                    + " costs 300-500 bytes of heap (more with large metadata), so the default, one tenant's cap, keeps"
                    + " them within ~100 MiB however many tenants churn.");
    public static final Setting LOG_FORMAT = Setting.oneOf("server.log-format", "text", "text", "json")
            .described("The activity log on stderr (--log-format): text lines or JSON Lines.");
    public static final Setting COMPACT_AFTER = Setting.size("server.journal.compact-after", "64m")
            .described("The journal is compacted into a snapshot when it grows past this size.");

    /** {@code autoreg.server.*}, in the order of {@code registry-defaults.conf}. */
    public static final List<Setting> SCHEMA = List.of(
            BIND,
            PORT,
            DATA_DIR,
            USERS,
            TOKEN_TTL,
            TOKENS,
            ALLOWED_HOSTS,
            PUBLIC_URL,
            REGISTRO_TENANT,
            REGISTRO_REQUIRE_TOKEN,
            QUOTA_SERVICES,
            QUOTA_SESSIONS,
            QUOTA_CONFIGURATION,
            RATE_READS,
            RATE_WRITES,
            RATE_WINDOW,
            EVENT_RETENTION,
            EVENTS_PER_TENANT,
            EVENTS_TOTAL,
            LOG_FORMAT,
            COMPACT_AFTER);

    private ServerSchema() {}
}
