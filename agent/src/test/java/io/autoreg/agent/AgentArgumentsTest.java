package io.autoreg.agent;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentArgumentsTest {

    @Test
    void pairsAreRelativeToAutoregAndValuesMayContainEquals() {
        assertEquals(Map.of("registry.url", "http://h:1/v1.0/t?a=b", "config", "/etc/a.conf", "enabled", "false"),
                AgentArguments.parse("autoreg.registry.url=http://h:1/v1.0/t?a=b, config=/etc/a.conf,enabled=false").overrides());
        assertTrue(AgentArguments.parse(null).overrides().isEmpty());
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
