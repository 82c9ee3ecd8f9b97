package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The built-in defaults file and the schema say the same: keys, defaults, environment variables. */
class SettingsSchemaTest {

    /** Checks a defaults resource against declarations (the front ends' sections: deploy's SchemaDefaultsTest). */
    static void assertDefaultsFileMatches(ClassLoader loader, String resource, List<Setting> declared, String section) {
        Config raw = ConfigFactory.parseResources(
                loader, resource, ConfigParseOptions.defaults().setAllowMissing(false));
        Config defaults =
                raw.resolve(com.typesafe.config.ConfigResolveOptions.noSystem().setAllowUnresolved(true));
        TreeSet<String> inFile = new TreeSet<>();
        leaves((ConfigObject) defaults.root().get("autoreg"), "", inFile);
        TreeSet<String> inSchema = new TreeSet<>();
        for (Setting s : declared) {
            inSchema.add(s.key());
        }
        inFile.removeIf(
                k -> section != null ? !k.startsWith(section + ".") : k.startsWith("registry.") && isBackendOptions(k));
        assertEquals(inSchema, inFile, "the keys of " + resource);

        Map<String, Object> env = new HashMap<>();
        for (Setting s : declared) {
            for (String name : s.envNames()) {
                env.put(name, "from " + name);
            }
        }
        Config fromEnv = raw.withFallback(ConfigFactory.parseMap(env))
                .resolve(com.typesafe.config.ConfigResolveOptions.noSystem());
        for (Setting s : declared) {
            assertDefault(defaults, s);
            String last = s.envNames().get(s.envNames().size() - 1);
            assertEquals("from " + last, fromEnv.getString(s.path()), s.path() + " is read from " + s.envNames());
        }
    }

    private static boolean isBackendOptions(String key) {
        for (String type : SettingsSchema.REGISTRY_TYPE.allowed()) {
            if (key.equals("registry." + type)) {
                return true;
            }
        }
        return false;
    }

    private static void assertDefault(Config defaults, Setting s) {
        String path = s.path();
        ConfigValue value =
                defaults.hasPathOrNull(path) ? (defaults.getIsNull(path) ? null : defaults.getValue(path)) : null;
        if (s.defaultValue() == null) {
            assertNull(value, path + " has no default");
            return;
        }
        switch (s.type()) {
            case DURATION -> assertEquals(Setting.parseDuration(s.defaultValue()), defaults.getDuration(path), path);
            case LIST ->
                assertTrue(
                        value.valueType() == ConfigValueType.LIST
                                && defaults.getList(path).isEmpty(),
                        path);
            case MAP ->
                assertTrue(
                        value.valueType() == ConfigValueType.OBJECT
                                && defaults.getObject(path).isEmpty(),
                        path);
            default -> assertEquals(s.defaultValue(), String.valueOf(value.unwrapped()), path);
        }
        if (s.type() == Setting.Type.DURATION) {
            Duration d = Setting.parseDuration(s.defaultValue());
            assertTrue(d.compareTo(s.min()) >= 0 && d.compareTo(s.max()) <= 0, path + "'s default is in its range");
        }
    }

    private static void leaves(ConfigObject object, String prefix, TreeSet<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().valueType() == ConfigValueType.OBJECT
                    && !((ConfigObject) e.getValue()).isEmpty()
                    && !key.equals("service.metadata")) {
                leaves((ConfigObject) e.getValue(), key, out);
            } else {
                out.add(key);
            }
        }
    }

    @Test
    void theDefaultsFileDeclaresWhatTheSchemaDeclares() {
        assertDefaultsFileMatches(
                SettingsLoader.class.getClassLoader(), SettingsLoader.DEFAULTS_RESOURCE, SettingsSchema.COMMON, null);
    }

    @Test
    void environmentNamesAreDerivedMechanically() {
        assertEquals("AUTOREG_HEARTBEAT_TIMEOUT", Setting.envName("heartbeat.timeout"));
        assertEquals(
                "AUTOREG_REGISTRY_AUTH_API_KEY",
                SettingsSchema.AUTH_API_KEY.envNames().get(0));
        assertEquals(List.of("AUTOREG_REGISTRY_TOKEN", "AUTOREG_TOKEN"), SettingsSchema.REGISTRY_TOKEN.envNames());
    }

    /** envName is a char loop (start-up cost in the agent): the same names as upper-casing and replacing. */
    @Test
    void environmentNamesAreTheUpperCasedKeys() {
        List<String> keys =
                new java.util.ArrayList<>(List.of("a-b.c_d", "x9.y-0", "", "Z.z", "caf\u00e9.\u00df", "\u0131d"));
        for (Setting setting : SettingsSchema.COMMON) {
            keys.add(setting.key());
        }
        for (String key : keys) {
            assertEquals(
                    "AUTOREG_"
                            + key.toUpperCase(java.util.Locale.ROOT)
                                    .replace('.', '_')
                                    .replace('-', '_'),
                    Setting.envName(key),
                    key);
        }
    }

    @Test
    void durationsNeedAUnitOnBothPaths() {
        assertNull(Setting.parseDuration("500"));
        assertEquals(Duration.ofMillis(500), Setting.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(3), Setting.parseDuration("3 seconds"));
        assertNull(Setting.parseDuration("1.5s"), "a form the core knows better: the fast path leaves it to the core");
        SettingsException e = assertThrows(
                SettingsException.class,
                () -> SettingsLoader.load(Map.of("heartbeat.interval", "500"), new Properties(), Map.of(), null));
        assertTrue(e.getMessage().contains("a unit is required"), e.getMessage());
    }

    @Test
    void aBracketedListReadsAsTheList() {
        assertEquals(List.of("a", "b"), Setting.splitList("[a, b]"));
        assertEquals(List.of("a", "b"), Setting.splitList("a,b"));
        assertEquals(
                List.of("a", "b"),
                SettingsLoader.load(Map.of("service.tags", "[a,b]"), new Properties(), Map.of(), null)
                        .service()
                        .tags());
    }
}
