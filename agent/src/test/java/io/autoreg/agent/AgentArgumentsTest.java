package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.lite.LiteSettings;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsLoader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {

    @Test
    void pairsAreRelativeToAutoregAndValuesMayContainEquals() {
        assertEquals(
                Map.of("registry.url", "http://h:1/v1.0/t?a=b", "config", "/etc/a.conf", "enabled", "false"),
                AgentArguments.parse("autoreg.registry.url=http://h:1/v1.0/t?a=b, config=/etc/a.conf,enabled=false")
                        .overrides());
        assertTrue(AgentArguments.parse(null).overrides().isEmpty());
    }

    @Test
    void aListIsWrittenInBracketsAndKeepsItsCommas() {
        assertEquals(
                Map.of("service.tags", "[a,b]", "agent.ports.include", "[8080, 8443]", "service.name", "x"),
                AgentArguments.parse("service.tags=[a,b],agent.ports.include=[8080, 8443],service.name=x")
                        .overrides());
        AutoregSettings settings = SettingsLoader.load(
                AgentArguments.parse("service.tags=[a,b]").overrides(), new Properties(), Map.of(), null);
        assertEquals(List.of("a", "b"), settings.service().tags());
    }

    /** A map is written in brackets (or braces) too, read alike by the fast reader and the core's, brackets dropped. */
    @Test
    void aMapIsWrittenInBracketsOrBracesAndKeepsItsCommas() {
        for (String written : List.of("[team=core,tier=1]", "{team=core,tier=1}", "{ team = core, tier = 1 }")) {
            Map<String, String> overrides = AgentArguments.parse("service.metadata=" + written + ",service.name=x")
                    .overrides();
            assertEquals(Map.of("service.metadata", written, "service.name", "x"), overrides);
            Map<String, String> expected = Map.of("team", "core", "tier", "1");
            assertEquals(
                    expected,
                    SettingsLoader.load(overrides, new Properties(), Map.of(), null)
                            .service()
                            .metadata(),
                    written);
            assertEquals(
                    expected,
                    LiteSettings.readOrNull(overrides, new Properties(), Map.of())
                            .service()
                            .metadata(),
                    written);
        }
    }

    /** Without brackets the comma ends the map: the next pair is taken for a setting, and the error says what was meant. */
    @Test
    void aMapSplitAtItsCommaIsAnErrorShowingItInBrackets() {
        Map<String, String> overrides =
                AgentArguments.parse("service.metadata=team=core,tier=1").overrides();
        assertNull(LiteSettings.readOrNull(overrides, new Properties(), Map.of()), "the core's reader says why");
        SettingsException e = assertThrows(
                SettingsException.class, () -> SettingsLoader.load(overrides, new Properties(), Map.of(), null));
        assertEquals(
                "autoreg.tier = \"1\" (agent argument tier): unknown key; a pair of service.metadata? pairs are"
                        + " written in brackets, e.g. service.metadata=[team=core,tier=1]",
                e.getMessage());
        // after a value that is not a map's, an unknown word is only that
        SettingsException notAMap = assertThrows(
                SettingsException.class,
                () -> SettingsLoader.load(
                        AgentArguments.parse("service.name=a=b,tier=1").overrides(), new Properties(), Map.of(), null));
        assertFalse(notAMap.getMessage().contains("a pair of"), notAMap.getMessage());
        // a setting or a section after a map is judged as itself
        assertEquals(
                false,
                SettingsLoader.load(
                                AgentArguments.parse("service.metadata=[team=core],enabled=false")
                                        .overrides(),
                                new Properties(),
                                Map.of(),
                                null)
                        .enabled());
        SettingsException section = assertThrows(
                SettingsException.class,
                () -> SettingsLoader.load(
                        AgentArguments.parse("service.metadata=team=core,registry=http://h:1/v1.0/t")
                                .overrides(),
                        new Properties(),
                        Map.of(),
                        null));
        assertTrue(section.getMessage().contains("a section, not a value"), section.getMessage());
    }

    @Test
    void anItemWithoutAValueIsAnErrorThatNamesItAndTheListSyntax() {
        Map<String, String> overrides = AgentArguments.parse("service.tags=a,b").overrides();
        assertTrue(overrides.containsKey("b") && overrides.get("b") == null, overrides.toString());
        assertNull(
                LiteSettings.readOrNull(overrides, new Properties(), Map.of()), "the fast path leaves it to the core");
        SettingsException e = assertThrows(
                SettingsException.class, () -> SettingsLoader.load(overrides, new Properties(), Map.of(), null));
        assertEquals(
                "autoreg.b = null (agent argument b): expected key=value; a list is written in brackets,"
                        + " e.g. service.tags=[a,b]",
                e.getMessage());
    }

    @Test
    void jdkToolsAndTheKillSwitchKeepTheAgentOff() {
        assertTrue(StartupGuard.isJdkTool("jdk.compiler", "com.sun.tools.javac.Main Foo.java"));
        assertTrue(StartupGuard.isJdkTool(null, "sun.tools.jcmd.JCmd 123 help"));
        assertFalse(StartupGuard.isJdkTool(null, "app.jar --port 0"));
        assertFalse(StartupGuard.isJdkTool("com.acme.app", "com.acme.app/com.acme.Main"));
        assertTrue(StartupGuard.isDisabled("false"));
        assertTrue(StartupGuard.isDisabled(" FALSE "));
        assertFalse(StartupGuard.isDisabled("true"));
        assertFalse(StartupGuard.isDisabled(null));
        assertTrue(StartupGuard.shouldStayOff(AgentArguments.parse("enabled=false"), Map.of()));
        assertTrue(StartupGuard.shouldStayOff(AgentArguments.parse(""), Map.of("AUTOREG_ENABLED", "false")));
    }
}
