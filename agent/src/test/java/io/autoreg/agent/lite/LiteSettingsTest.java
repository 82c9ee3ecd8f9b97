package io.autoreg.agent.lite;

import io.autoreg.agent.register.AgentConfiguration;
import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.settings.AutoregSettings;
import io.autoreg.core.settings.SettingsLoader;
import io.autoreg.core.settings.SettingsReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LiteSettingsTest {

    /** The core's reader, as the agent uses it when the fast path declines. */
    private static AgentConfiguration core(Map<String, String> overrides, Properties sys, Map<String, String> env) {
        AutoregSettings s = SettingsLoader.load(overrides, sys, env, null, AgentSettings.RESOURCE,
                LiteSettingsTest.class.getClassLoader());
        return new AgentConfiguration(s.enabled(), s.registry(), s.service(), s.heartbeat(),
                AgentSettings.read(new SettingsReader(s.config())), true);
    }

    private static void assertSameAsCore(Map<String, String> overrides, Properties sys, Map<String, String> env) {
        AgentConfiguration lite = LiteSettings.readOrNull(overrides, sys, env);
        assertNotNull(lite, "the fast path accepts " + overrides + " " + sys + " " + env);
        assertEquals(core(overrides, sys, env), lite);
    }

    @Test
    void defaultsAreTheSameAsTheCoreDefaults() {
        assertSameAsCore(Map.of(), new Properties(), Map.of());
    }

    @Test
    void everyLayerAndKeyReadsLikeTheCoreWithTheSamePrecedence() {
        Properties sys = new Properties();
        sys.setProperty("autoreg.heartbeat.timeout", "3s");
        sys.setProperty("autoreg.service.name", "from-sysprop");
        sys.setProperty("autoreg.service.tags", "a, b");
        sys.setProperty("autoreg.service.metadata.zone", "z1");
        sys.setProperty("autoreg.agent.ports.exclude", "9090,9091");
        sys.setProperty("autoreg.retry.max-backoff", "1500ms");
        sys.setProperty("unrelated.key", "x");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AUTOREG_SERVICE_NAME", "from-env");
        env.put("AUTOREG_REGISTRY_URL", "http://127.0.0.1:1/v1.0/env");
        env.put("AUTOREG_TOKEN", "t0ken");
        env.put("AUTOREG_AGENT_MODE", "per-port");
        Map<String, String> args = new LinkedHashMap<>();
        args.put("registry.url", "http://127.0.0.1:2/v1.0/arg");
        args.put("agent.readiness", "http");
        args.put("agent.readiness-path", "/health");
        args.put("agent.include-loopback", "true");
        args.put("heartbeat.interval", "2s");
        args.put("agent.drain", "1s");
        assertSameAsCore(args, sys, env);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "config=/tmp/x.conf", "registry.type=etcd", "heartbeat.timout=3s", "heartbeat.timeout=soon",
        "heartbeat.timeout=1s", "heartbeat.timeout=2500ms", "registry.url=https://127.0.0.1/v1.0/x",
        "agent.mode=sometimes", "agent.ports.include=http", "registry.tls.ca-file=/x.pem", "service.id=a b",
        "log.level=loud", "enabled=maybe"})
    void declinesAnythingUnusualSoThatTheCoreDecides(String pair) {
        int eq = pair.indexOf('=');
        assertNull(LiteSettings.readOrNull(Map.of(pair.substring(0, eq), pair.substring(eq + 1)), new Properties(), Map.of()));
    }

    @Test
    void metadataAsPairsReadsLikeTheCore() {
        assertSameAsCore(Map.of(), new Properties(), Map.of("AUTOREG_SERVICE_METADATA", "team=core,tier=1"));
    }

    @Test
    void declinesMetadataPairsMixedWithMetadataKeys() {
        Properties sys = new Properties();
        sys.setProperty("autoreg.service.metadata.zone", "z1");
        assertNull(LiteSettings.readOrNull(Map.of(), sys, Map.of("AUTOREG_SERVICE_METADATA", "team=core")));
    }

    @Test
    void declinesAConfigFileOrAuthFromTheEnvironment() {
        assertNull(LiteSettings.readOrNull(Map.of(), new Properties(), Map.of("AUTOREG_CONFIG", "/tmp/a.conf")));
        assertNull(LiteSettings.readOrNull(Map.of(), new Properties(), Map.of("AUTOREG_REGISTRY_AUTH_USERNAME", "u")));
    }

    @Test
    void theKillSwitchIsReadOnTheFastPath() {
        assertEquals(false, LiteSettings.readOrNull(Map.of(), new Properties(), Map.of("AUTOREG_ENABLED", "false")).enabled());
    }
}
