package io.autoreg.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsReader;
import io.autoreg.core.internal.settings.UnknownKeys;
import io.autoreg.registry.auth.User;
import io.autoreg.registry.limits.Quotas;
import io.autoreg.registry.log.ActivityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The server's settings, read once from {@code autoreg.server.*} and validated eagerly. */
public record ServerSettings(
        String bind,
        int port,
        Path dataDir,
        List<User> users,
        Map<String, String> staticTokens,
        Duration tokenTtl,
        Quotas quotas,
        Duration eventRetention,
        int maxEventsPerTenant,
        int maxEventsTotal,
        long compactAfterBytes,
        List<String> allowedHosts,
        String publicUrl,
        RegistroAccess registro,
        ActivityLog.Format logFormat) {
    private static final String P = "autoreg.server.";
    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Who may use the Registro dialect on a secured server. {@code tenant}: the account the dialect acts as
     * (null: any valid credential, as before); {@code requireToken}: false lets Registro's own clients, which
     * send no token, in as that tenant.
     */
    public record RegistroAccess(String tenant, boolean requireToken) {}

    public boolean open() {
        return users.isEmpty() && staticTokens.isEmpty();
    }

    public String authMode() {
        return open() ? "open" : "tokens(users=" + users.size() + ", static=" + staticTokens.size() + ")";
    }

    /** The one budget for every request, replaced by separate read and write budgets. */
    private static final String RETIRED_REQUESTS = P + "rate-limit.requests";

    /** Defaults (our own resource, never the classpath's application.conf) under sysprops under the file. */
    public static ServerSettings load(Path configFile, Config overrides) {
        try {
            return loadChecked(configFile, overrides);
        } catch (ConfigException e) {
            // a syntax error, an unresolvable ${…}, a value of the wrong type: Typesafe's message carries file:line
            throw new SettingsException(e.getMessage());
        }
    }

    private static ServerSettings loadChecked(Path configFile, Config overrides) {
        Config defaults = ConfigFactory.parseResources(
                ServerSettings.class.getClassLoader(),
                "io/autoreg/registry/registry-defaults.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config file = configFile == null
                ? ConfigFactory.empty()
                : ConfigFactory.parseFile(
                        configFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        Config system = ConfigFactory.systemProperties()
                .withOnlyPath("autoreg")
                .atKey("x")
                .getConfig("x");
        Config merged = overrides
                .withFallback(system)
                .withFallback(file)
                .withFallback(defaults)
                .resolve();
        // from() first: it names what replaced a retired key (rate-limit.requests), and reads declared keys only, so a
        // misspelt one (quotaz.service), which would otherwise leave its default in force without a word, fails here
        ServerSettings settings = from(merged);
        UnknownKeys.reject(merged, defaults.resolve(), "autoreg.server", List.of());
        return settings;
    }

    public static ServerSettings load(Path configFile) {
        return load(configFile, ConfigFactory.empty());
    }

    /**
     * {@code tokens}: each static token and the tenant it opens. A value of the wrong shape is refused without showing
     * it — the keys are the tokens themselves, and an error line ends up in logs.
     */
    private static Map<String, String> staticTokens(Config config, SettingsReader r) {
        ConfigValue value = config.getValue(P + "tokens");
        if (value.valueType() == ConfigValueType.STRING) {
            return r.stringMap(P + "tokens"); // -Dautoreg.server.tokens=my-token=7777,other=42
        }
        boolean shaped = value instanceof ConfigObject tokens
                && tokens.values().stream()
                        .allMatch(tenant -> tenant.valueType() == ConfigValueType.STRING
                                || tenant.valueType() == ConfigValueType.NUMBER);
        if (!shaped) {
            throw new SettingsException(
                    P + "tokens",
                    SettingsReader.origin(value.origin()),
                    "██",
                    "expected an object of static tokens and the tenant each opens, such as { \"my-token\" = \"7777\" }"
                            + " (the value is not shown: it holds tokens)");
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        ((ConfigObject) value).forEach((token, tenant) -> out.put(token, String.valueOf(tenant.unwrapped())));
        return out;
    }

    /** A user as an error line shows it: the line ends up in logs, and the API key is a password. */
    private static ConfigValue withoutApiKey(ConfigValue value) {
        return value instanceof ConfigObject user && user.containsKey("api-key")
                ? user.withValue("api-key", ConfigValueFactory.fromAnyRef("██"))
                : value;
    }

    static ServerSettings from(Config config) {
        SettingsReader r = new SettingsReader(config);
        List<User> users = new ArrayList<>();
        String usersExpected = "a list of objects with username, api-key and tenant, such as"
                + " [ { username = alice, api-key = \"…\", tenant = \"7777\" } ]";
        ConfigValue usersValue = config.getValue(P + "users");
        if (usersValue.valueType() != ConfigValueType.LIST) {
            throw new SettingsException(
                    P + "users",
                    SettingsReader.origin(usersValue.origin()),
                    SettingsReader.rendered(withoutApiKey(usersValue)),
                    "expected " + usersExpected);
        }
        for (ConfigValue element : config.getList(P + "users")) {
            List<String> missing = new ArrayList<>();
            if (element instanceof ConfigObject user) {
                for (String key : List.of("username", "api-key", "tenant")) {
                    if (user.get(key) == null
                            || user.get(key).valueType() != ConfigValueType.STRING
                                    && user.get(key).valueType() != ConfigValueType.NUMBER) {
                        missing.add(key);
                    }
                }
            }
            if (!(element instanceof ConfigObject) || !missing.isEmpty()) {
                throw new SettingsException(
                        P + "users",
                        SettingsReader.origin(element.origin()),
                        SettingsReader.rendered(withoutApiKey(element)),
                        "expected " + usersExpected
                                + (missing.isEmpty()
                                        ? ""
                                        : " (this one has no " + String.join(", no ", missing) + ")"));
            }
            Config user = ((ConfigObject) element).toConfig();
            users.add(new User(user.getString("username"), user.getString("api-key"), user.getString("tenant")));
        }
        if (config.hasPath(RETIRED_REQUESTS)) {
            // One budget for every request is what let heartbeats use it up; say what replaced it.
            throw r.bad(
                    RETIRED_REQUESTS,
                    "no longer a setting: the rate limit has separate budgets, "
                            + P + "rate-limit.reads (GET) and " + P + "rate-limit.writes (other methods), per "
                            + P + "rate-limit.window; heartbeats count against neither");
        }
        Quotas quotas = new Quotas(
                intIn(r, ServerSchema.QUOTA_SERVICES),
                intIn(r, ServerSchema.QUOTA_SESSIONS),
                intIn(r, ServerSchema.QUOTA_CONFIGURATION),
                intIn(r, ServerSchema.RATE_READS),
                intIn(r, ServerSchema.RATE_WRITES),
                r.duration(ServerSchema.RATE_WINDOW));
        List<String> allowedHosts = r.stringList(P + "allowed-hosts");
        for (String host : allowedHosts) {
            if (!host.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?")
                    && !host.matches("\\[[0-9A-Fa-f:.]+]")) {
                throw r.bad(
                        P + "allowed-hosts",
                        "host names or address literals as a client writes them in Host, without "
                                + "a port (registry.example.com, 10.0.0.5, [fd00::5]); '" + host + "' is not one");
            }
        }
        return new ServerSettings(
                r.string(P + "bind"),
                intIn(r, ServerSchema.PORT),
                Path.of(r.string(P + "data-dir")),
                List.copyOf(users),
                staticTokens(config, r),
                r.duration(ServerSchema.TOKEN_TTL),
                quotas,
                r.duration(ServerSchema.EVENT_RETENTION),
                intIn(r, ServerSchema.EVENTS_PER_TENANT),
                intIn(r, ServerSchema.EVENTS_TOTAL),
                config.getBytes(P + "journal.compact-after"),
                List.copyOf(allowedHosts),
                publicUrl(r),
                registroAccess(r),
                logFormat(r));
    }

    /** A whole number in the range {@link ServerSchema} declares for it. */
    private static int intIn(SettingsReader r, io.autoreg.core.internal.settings.Setting declared) {
        return r.intIn(declared.path(), (int) declared.lowest(), (int) declared.highest());
    }

    /** The absolute http(s) base the token answer's service catalogue points at; null: the listening address. */
    private static String publicUrl(SettingsReader r) {
        String url = r.stringOrNull(P + "public-url");
        if (url == null) {
            return null;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw r.bad(P + "public-url", "an absolute http:// or https:// URL such as http://registry.internal:8870");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw r.bad(P + "public-url", "an absolute http:// or https:// URL such as http://registry.internal:8870");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static ActivityLog.Format logFormat(SettingsReader r) {
        ActivityLog.Format format = ActivityLog.Format.parse(r.string(P + "log-format"));
        if (format == null) {
            throw r.bad(P + "log-format", "text or json");
        }
        return format;
    }

    private static RegistroAccess registroAccess(SettingsReader r) {
        String tenant = r.stringOrNull(P + "registro.tenant");
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw r.bad(P + "registro.tenant", "a tenant id of 1-64 characters [A-Za-z0-9_-], or null");
        }
        boolean requireToken = r.bool(P + "registro.require-token");
        if (!requireToken && tenant == null) {
            throw r.bad(
                    P + "registro.require-token",
                    "true, or false together with autoreg.server.registro.tenant (the tenant tokenless Registro clients act as)");
        }
        return new RegistroAccess(tenant, requireToken);
    }

    public ServerSettings withListen(String newBind, int newPort, Path newDataDir) {
        return new ServerSettings(
                newBind,
                newPort,
                newDataDir,
                users,
                staticTokens,
                tokenTtl,
                quotas,
                eventRetention,
                maxEventsPerTenant,
                maxEventsTotal,
                compactAfterBytes,
                allowedHosts,
                publicUrl,
                registro,
                logFormat);
    }
}
