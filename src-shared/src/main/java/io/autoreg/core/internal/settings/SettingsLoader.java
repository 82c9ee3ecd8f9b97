package io.autoreg.core.internal.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.autoreg.core.internal.log.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the {@code autoreg} tree once and validates it eagerly.
 *
 * <p>Precedence, highest first:
 * <ol>
 *   <li>overrides — agent arguments or CLI flags, keys relative to {@code autoreg.} (origin "agent argument",
 *       or what the front end names, e.g. "command-line flag --port");</li>
 *   <li>system properties {@code -Dautoreg.*};</li>
 *   <li>environment variables {@code AUTOREG_*}, each declared next to its key with {@code ${?…}} in
 *       the defaults resource;</li>
 *   <li>the config file: {@code configFile}, else override {@code config}, {@code -Dautoreg.config},
 *       {@code AUTOREG_CONFIG};</li>
 *   <li>front-end defaults (optional extra resource) and the built-in defaults
 *       {@value #DEFAULTS_RESOURCE}.</li>
 * </ol>
 *
 * <p><b>Important:</b> resources are loaded with an explicit class loader and never through
 * {@code ConfigFactory.load()}: the agent runs inside host JVMs that may have their own
 * {@code application.conf}/{@code reference.conf}, which must neither be read nor disturbed.
 * Unknown keys inside a section the defaults declare fail (a typo such as {@code heartbeat.timout}
 * would otherwise silently keep the default); an empty {@code {}} in the defaults declares a free-form
 * map. As a side effect a successful load applies {@code autoreg.log.level} to {@link Log}.
 */
public final class SettingsLoader {

    public static final String DEFAULTS_RESOURCE = "io/autoreg/core/internal/settings/autoreg-defaults.conf";

    private static final String ROOT = "autoreg";
    private static final String CONFIG_KEY = "autoreg.config";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SettingsLoader() {}

    /**
     * The loader of the core's resources: the core's own, or the system class loader when the core is on the boot
     * class path (in the agent, whose jar the system class loader has as well).
     */
    private static ClassLoader ownLoader() {
        ClassLoader own = SettingsLoader.class.getClassLoader();
        return own != null ? own : ClassLoader.getSystemClassLoader();
    }

    /** The built-in defaults, parsed once (Config values are immutable). */
    private static final class BuiltIn {
        static final Config DEFAULTS = resource(ownLoader(), DEFAULTS_RESOURCE);
    }

    /** From the process: {@link System#getProperties()}, {@link System#getenv()}, no explicit file. */
    public static AutoregSettings load(Map<String, String> overrides) {
        return load(overrides, System.getProperties(), System.getenv(), null);
    }

    public static AutoregSettings load(
            Map<String, String> overrides, Properties systemProperties, Map<String, String> env, Path configFile) {
        return load(overrides, systemProperties, env, configFile, null, ownLoader());
    }

    /**
     * @param extraDefaultsResource a front end's own defaults ({@code autoreg.agent.*}, {@code autoreg.sidecar.*}),
     *                              merged over the built-in defaults and under everything else; may be null
     * @param loader                the class loader that holds {@code extraDefaultsResource}; null (the boot loader):
     *                              the core's own resource loader
     */
    public static AutoregSettings load(
            Map<String, String> overrides,
            Properties sys,
            Map<String, String> env,
            Path configFile,
            String extraDefaultsResource,
            ClassLoader loader) {
        return load(overrides, "agent argument", sys, env, configFile, extraDefaultsResource, loader);
    }

    /**
     * Like the other loads, naming the origin of the overrides in error messages: "agent argument" for
     * the agent, for instance "command-line flag" for the sidecar (messages then say
     * {@code (command-line flag heartbeat.timeout)}).
     */
    public static AutoregSettings load(
            Map<String, String> overrides,
            String overridesOrigin,
            Properties sys,
            Map<String, String> env,
            Path configFile,
            String extraDefaultsResource,
            ClassLoader loader) {
        return load(overrides, key -> overridesOrigin + " " + key, sys, env, configFile, extraDefaultsResource, loader);
    }

    /**
     * Like the other loads, with the origin of each override named by {@code originOf} (given the key,
     * relative to {@code autoreg.}): a front end whose overrides come from several flags can name the flag
     * itself, e.g. {@code command-line flag --port} for {@code sidecar.check.port}.
     */
    public static AutoregSettings load(
            Map<String, String> overrides,
            Function<String, String> originOf,
            Properties sys,
            Map<String, String> env,
            Path configFile,
            String extraDefaultsResource,
            ClassLoader loader) {
        Map<String, String> safeOverrides = overrides == null ? Map.of() : overrides;
        Map<String, String> safeEnv = env == null ? Map.of() : env;
        Properties safeSys = sys == null ? new Properties() : sys;
        try {
            Config defaults = BuiltIn.DEFAULTS;
            if (extraDefaultsResource != null) {
                defaults = resource(loader == null ? ownLoader() : loader, extraDefaultsResource)
                        .withFallback(defaults);
            }
            Config envSource = environment(safeEnv);
            ConfigResolveOptions noSystem = ConfigResolveOptions.noSystem();
            Config resolvedDefaults =
                    defaults.withFallback(envSource).resolve(noSystem).withOnlyPath(ROOT);
            Config envLayer = fromEnvironmentOnly(resolvedDefaults);
            Config file = configFile(safeOverrides, originOf, safeSys, safeEnv, configFile);
            Config merged = overrides(safeOverrides, originOf)
                    .withFallback(systemProperties(safeSys))
                    .withFallback(envLayer)
                    .withFallback(file)
                    .withFallback(resolvedDefaults)
                    .withFallback(envSource)
                    .resolve(noSystem)
                    .withOnlyPath(ROOT)
                    .withoutPath(CONFIG_KEY);
            // an unknown key at any level of autoreg.* (heartbeet.timeout) fails with the nearest known one; only the
            // other front ends' sections pass unread, so that one file can configure the agent and the sidecar
            UnknownKeys.reject(merged, defaults.resolve(noSystem), ROOT, SettingsSchema.FRONT_END_SECTIONS);
            merged = withConsulVariables(merged, safeEnv);
            AutoregSettings settings = SettingsValidator.validate(merged);
            Log.level(new SettingsReader(merged).oneOf("autoreg.log.level", Log.Level.class));
            return settings;
        } catch (ConfigException e) {
            // syntax errors and unresolvable substitutions: Typesafe's message already carries file:line
            throw new SettingsException(e.getMessage());
        }
    }

    /** The merged settings with {@link ConsulVariables} in for what no layer set, each value naming its variable. */
    private static Config withConsulVariables(Config merged, Map<String, String> env) {
        if (!isConsul(merged)) {
            return merged;
        }
        Config out = merged;
        String url = ConsulVariables.url(env);
        boolean urlUnset = !merged.hasPath("autoreg.registry.url")
                || new SettingsReader(merged).isBuiltInDefault("autoreg.registry.url");
        if (url != null && urlUnset) {
            out = ConfigFactory.parseMap(Map.of("autoreg.registry.url", url), ConsulVariables.urlOrigin(env))
                    .withFallback(out);
        }
        String token = ConsulVariables.token(env);
        if (token != null && !merged.hasPath("autoreg.registry.token")) {
            out = ConfigFactory.parseMap(
                            Map.of("autoreg.registry.token", token), "environment variable " + ConsulVariables.TOKEN)
                    .withFallback(out);
        }
        return out;
    }

    private static boolean isConsul(Config merged) {
        if (!merged.hasPath("autoreg.registry.type")) {
            return false;
        }
        ConfigValue type = merged.getValue("autoreg.registry.type");
        return type.valueType() == ConfigValueType.STRING && "consul".equals(type.unwrapped());
    }

    private static Config resource(ClassLoader loader, String name) {
        ConfigParseOptions options = ConfigParseOptions.defaults()
                .setClassLoader(loader)
                .setAllowMissing(false)
                .setSyntax(ConfigSyntax.CONF);
        return ConfigFactory.parseResources(loader, name, options);
    }

    /** Each variable carries its own origin, so a bad value reports "environment variable AUTOREG_X". */
    private static Config environment(Map<String, String> env) {
        Map<String, ConfigValue> values = new HashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey() != null
                    && e.getValue() != null
                    && ENV_NAME.matcher(e.getKey()).matches()) {
                values.put(
                        e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "environment variable " + e.getKey()));
            }
        }
        return ConfigValueFactory.fromMap(values).toConfig();
    }

    /** The leaves of the resolved defaults that an {@code AUTOREG_*} variable supplied. */
    private static Config fromEnvironmentOnly(Config resolvedDefaults) {
        Config out = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> e : UnknownKeys.leaves(resolvedDefaults.root(), "", false)) {
            String origin = e.getValue().origin().description();
            if (origin != null && origin.startsWith("environment variable ")) {
                out = out.withValue(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static Config systemProperties(Properties sys) {
        Config out = ConfigFactory.empty();
        for (String name : sys.stringPropertyNames()) {
            if (name.startsWith(ROOT + ".") && !name.equals(CONFIG_KEY)) {
                out = out.withFallback(flat(name, sys.getProperty(name), "system property -D" + name));
            }
        }
        return out;
    }

    private static Config overrides(Map<String, String> overrides, Function<String, String> originOf) {
        Config out = ConfigFactory.empty();
        Map.Entry<String, String> previous = null;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (e.getValue() == null) {
                // an agent argument without "=": most often the second element of a list split at its comma
                throw new SettingsException(
                        ROOT + "." + e.getKey(),
                        originOf.apply(e.getKey()),
                        null,
                        "expected key=value; a list is written in brackets, e.g. service.tags=[a,b]");
            }
            if (isSplitPair(previous, e.getKey())) {
                // service.metadata=team=core,tier=1 as agent arguments: the comma ended the map, tier=1 is an argument
                throw new SettingsException(
                        ROOT + "." + e.getKey(),
                        originOf.apply(e.getKey()),
                        e.getValue(),
                        "unknown key; a pair of " + previous.getKey() + "? pairs are written in brackets, e.g. "
                                + previous.getKey() + "=[" + previous.getValue() + "," + e.getKey() + "="
                                + e.getValue() + "]");
            }
            previous = e;
            if (!"config".equals(e.getKey())) {
                out = out.withFallback(flat(ROOT + "." + e.getKey(), e.getValue(), originOf.apply(e.getKey())));
            }
        }
        return out;
    }

    /**
     * Whether {@code key} reads as the next pair of a map split at its comma: a bare word that is neither a setting
     * ({@code enabled}, {@code config}) nor a section (whose own error, "a section, not a value", is the better one),
     * after a map setting given unbracketed {@code k=v} pairs.
     */
    private static boolean isSplitPair(Map.Entry<String, String> previous, String key) {
        if (previous == null || previous.getValue() == null || key.contains(".")) {
            return false;
        }
        String map = previous.getKey();
        if (SettingsSchema.COMMON.stream()
                .noneMatch(s -> s.type() == Setting.Type.MAP && s.key().equals(map))) {
            return false;
        }
        String value = previous.getValue().trim();
        return !key.equals("config")
                && !SettingsSchema.FRONT_END_SECTIONS.contains(key)
                && SettingsSchema.COMMON.stream().noneMatch(s -> (s.key() + ".").startsWith(key + "."))
                && value.indexOf('=') > 0
                && !value.startsWith("[")
                && !value.startsWith("{");
    }

    private static Config flat(String path, String value, String origin) {
        try {
            return ConfigFactory.parseMap(Map.of(path, value == null ? "" : value), origin);
        } catch (ConfigException e) {
            throw new SettingsException(
                    path, origin, value, "not a valid key (expected dot-separated kebab-case names)");
        }
    }

    private static Config configFile(
            Map<String, String> overrides,
            Function<String, String> originOf,
            Properties sys,
            Map<String, String> env,
            Path explicit) {
        Path path = explicit;
        String origin = "explicit config file";
        if (path == null && overrides.get("config") != null) {
            path = Path.of(overrides.get("config"));
            origin = originOf.apply("config");
        } else if (path == null && sys.getProperty(CONFIG_KEY) != null) {
            path = Path.of(sys.getProperty(CONFIG_KEY));
            origin = "system property -D" + CONFIG_KEY;
        } else if (path == null && env.get("AUTOREG_CONFIG") != null) {
            path = Path.of(env.get("AUTOREG_CONFIG"));
            origin = "environment variable AUTOREG_CONFIG";
        }
        if (path == null) {
            return ConfigFactory.empty();
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new SettingsException(CONFIG_KEY, origin, path.toString(), "expected a readable HOCON file");
        }
        ConfigParseOptions options =
                ConfigParseOptions.defaults().setClassLoader(ownLoader()).setAllowMissing(false);
        return ConfigFactory.parseFile(path.toFile(), options);
    }
}
