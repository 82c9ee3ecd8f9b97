package io.autoreg.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.registry.ServerSchema;
import io.autoreg.sidecar.run.SidecarSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each front end's built-in defaults file declares the keys, defaults and environment variables its schema
 * declares, so the settings reference rendered from the schema tells what the front end does. (The common
 * section is held to its file in the core's own {@code SettingsSchemaTest}.)
 */
class SchemaDefaultsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{\\?(AUTOREG_[A-Z0-9_]+)}");

    @Test
    void theAgentsDefaultsFileMatchesItsSchema() throws IOException {
        assertMatches(AgentSchema.RESOURCE, "agent", AgentSchema.settings(), true);
    }

    @Test
    void theSidecarsDefaultsFileMatchesItsSchema() throws IOException {
        assertMatches("io/autoreg/sidecar/sidecar-defaults.conf", "sidecar", SidecarSchema.SCHEMA, true);
    }

    @Test
    void theRegistryServersDefaultsFileMatchesItsSchema() throws IOException {
        assertMatches("io/autoreg/registry/registry-defaults.conf", "server", ServerSchema.SCHEMA, false);
    }

    /** The reference shows the agent's declarations as they are, whichever class they were loaded as. */
    @Test
    void theAgentsSchemaIsCopiedWhole() throws ReflectiveOperationException {
        List<?> originals =
                (List<?>) Class.forName(AgentSchema.CLASS).getField("SCHEMA").get(null);
        List<Setting> copies = AgentSchema.settings();
        assertEquals(originals.size(), copies.size());
        for (int i = 0; i < copies.size(); i++) {
            Object original = originals.get(i);
            Setting copy = copies.get(i);
            for (String accessor : List.of(
                    "key", "defaultValue", "min", "max", "allowed", "envNames", "lowest", "highest", "description")) {
                Object expected = original.getClass().getMethod(accessor).invoke(original);
                Object actual = Setting.class.getMethod(accessor).invoke(copy);
                assertEquals(expected, actual, copy.path() + " " + accessor);
            }
            assertEquals(
                    ((Enum<?>) original.getClass().getMethod("type").invoke(original)).name(),
                    copy.type().name());
        }
    }

    /** The server reads the variable of every scalar key (RegistryMain.environment), not through its file. */
    @Test
    void theRegistryServerReadsTheVariableOfEveryScalarKey() {
        for (Setting s : ServerSchema.SCHEMA) {
            boolean scalar =
                    s.type() != Setting.Type.LIST && s.type() != Setting.Type.MAP && s.type() != Setting.Type.OBJECTS;
            assertEquals(scalar ? List.of(Setting.envName(s.key())) : List.of(), s.envNames(), s.path());
        }
    }

    /** {@code variablesInFile}: the file names each key's variable ({@code ${?AUTOREG_...}}), as the core's does. */
    private static void assertMatches(String resource, String section, List<Setting> declared, boolean variablesInFile)
            throws IOException {
        String text;
        try (InputStream in = SchemaDefaultsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Config defaults = ConfigFactory.parseString(text, ConfigParseOptions.defaults())
                .resolve(ConfigResolveOptions.noSystem().setAllowUnresolved(true));

        TreeSet<String> inFile = new TreeSet<>();
        leaves((ConfigObject) defaults.root().get("autoreg"), "", inFile);
        TreeSet<String> inSchema = new TreeSet<>();
        TreeSet<String> variables = new TreeSet<>();
        for (Setting s : declared) {
            assertTrue(s.key().startsWith(section + "."), s.path() + " belongs to autoreg." + section);
            inSchema.add(s.key());
            variables.addAll(s.envNames());
        }
        assertEquals(inSchema, inFile, "the keys of " + resource);

        TreeSet<String> inFileVariables = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            inFileVariables.add(m.group(1));
        }
        assertEquals(
                variablesInFile ? variables : Set.of(), inFileVariables, "the environment variables of " + resource);

        for (Setting s : declared) {
            assertDefault(defaults, s);
        }
    }

    private static void leaves(ConfigObject object, String prefix, TreeSet<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().valueType() == ConfigValueType.OBJECT && !((ConfigObject) e.getValue()).isEmpty()) {
                leaves((ConfigObject) e.getValue(), key, out);
            } else {
                out.add(key);
            }
        }
    }

    private static void assertDefault(Config defaults, Setting s) {
        String path = s.path();
        boolean set = defaults.hasPath(path);
        if (s.defaultValue() == null) {
            assertTrue(!set, path + " has no default");
            return;
        }
        assertTrue(set, path + " has a default in the file");
        Config declared = ConfigFactory.parseString("v = " + hocon(s.defaultValue()));
        switch (s.type()) {
            case DURATION -> assertEquals(declared.getDuration("v"), defaults.getDuration(path), path);
            case SIZE -> assertEquals(declared.getBytes("v"), defaults.getBytes(path), path);
            case INT -> assertEquals(declared.getInt("v"), defaults.getInt(path), path);
            case BOOLEAN -> assertEquals(declared.getBoolean("v"), defaults.getBoolean(path), path);
            case LIST, OBJECTS -> assertTrue(defaults.getList(path).isEmpty(), path + " is empty by default");
            case MAP -> assertTrue(defaults.getObject(path).isEmpty(), path + " is empty by default");
            default -> assertEquals(s.defaultValue(), defaults.getString(path), path);
        }
        if (s.type() == Setting.Type.DURATION) {
            assertTrue(
                    declared.getDuration("v").compareTo(s.min()) >= 0
                            && declared.getDuration("v").compareTo(s.max()) <= 0,
                    path + "'s default is in its range");
        }
        if (s.type() == Setting.Type.INT) {
            int value = declared.getInt("v");
            assertTrue(value >= s.lowest() && value <= s.highest(), path + "'s default is in its range");
        }
    }

    /** A default written as HOCON: quoted unless it is a plain word, number or value with a unit. */
    private static String hocon(String value) {
        return value.matches("[-A-Za-z0-9.]+") ? value : "\"" + value.replace("\"", "\\\"") + "\"";
    }
}
