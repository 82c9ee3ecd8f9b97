package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.full.nested.AgentSettingsReader;
import io.autoreg.agent.register.AgentConfiguration;
import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsLoader;
import io.autoreg.core.internal.settings.SettingsReader;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiteSettingsTest {

    /** The core's reader, as the agent uses it when the fast path declines. */
    private static AgentConfiguration core(Map<String, String> overrides, Properties sys, Map<String, String> env) {
        AutoregSettings s = SettingsLoader.load(
                overrides, sys, env, null, AgentSettings.RESOURCE, LiteSettingsTest.class.getClassLoader());
        return new AgentConfiguration(
                s.enabled(),
                s.registry(),
                s.service(),
                s.heartbeat(),
                AgentSettingsReader.read(new SettingsReader(s.config())),
                true);
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
    @ValueSource(
            strings = {
                "config=/tmp/x.conf",
                "registry.type=zookeeper",
                "heartbeat.timout=3s",
                "heartbeat.timeout=soon",
                "heartbeat.timeout=1s",
                "heartbeat.timeout=2500ms",
                "registry.url=https://127.0.0.1/v1.0/x",
                "registry.url=http://127.0.0.1:8870",
                "registry.url=http://127.0.0.1:8870/v1.0",
                "registry.url=http://127.0.0.1:8870/default",
                "agent.mode=sometimes",
                "agent.ports.include=http",
                "registry.tls.ca-file=/x.pem",
                "service.id=a b",
                "log.level=loud",
                "enabled=maybe"
            })
    void declinesAnythingUnusualSoThatTheCoreDecides(String pair) {
        int eq = pair.indexOf('=');
        assertNull(LiteSettings.readOrNull(
                Map.of(pair.substring(0, eq), pair.substring(eq + 1)), new Properties(), Map.of()));
    }

    /** Values that have made the two readers drift, or could: units, blanks, quotes, brackets, case, ranges. */
    private static final List<String> TRICKY = List.of(
            "",
            " ",
            "null",
            "0",
            "1",
            "500",
            "-1",
            "0s",
            "500ms",
            "3s",
            "1 s",
            " 3s",
            "3s ",
            "2500ms",
            "1.5s",
            "10 seconds",
            "2m",
            "1h",
            "1d",
            "121s",
            "100ms",
            "99ms",
            "0ms",
            "true",
            "false",
            "yes",
            "off",
            "TRUE",
            "maybe",
            "per-port",
            "PER-PORT",
            "per_port",
            "tcp",
            "http",
            "none",
            "debug",
            "service-registry",
            "etcd",
            "eureka",
            "consul",
            "a",
            "a,b",
            "a, b",
            "[a,b]",
            "[a, b]",
            "[]",
            "a,,b",
            "8080",
            "8080,8443",
            "[8080, 8443]",
            "0,1",
            "65536",
            "k=v",
            "k=v,k2=v2",
            "k=",
            "=v",
            "{k=v}",
            "/",
            "/health",
            "health",
            "http://127.0.0.1:1/v1.0/x",
            "https://127.0.0.1:1/v1.0/x",
            "127.0.0.1:2181",
            "0.0.0.0",
            "10.0.0.7",
            "\"quoted\"",
            "${HOME}",
            "svc-1",
            "ab",
            "x".repeat(60),
            "x".repeat(66),
            "a b",
            "ä",
            "٣s");

    /** The core's answer, or null when it refuses the settings. */
    private static AgentConfiguration coreOrNull(
            Map<String, String> overrides, Properties sys, Map<String, String> env) {
        try {
            return core(overrides, sys, env);
        } catch (SettingsException e) {
            return null;
        }
    }

    @Test
    void everyKeyOverManyValuesInEveryLayerReadsLikeTheCoreOrTheFastPathDeclines() {
        List<Setting> keys = new java.util.ArrayList<>(SettingsSchema.COMMON);
        keys.addAll(AgentSettings.SCHEMA);
        int accepted = 0;
        int cases = 0;
        List<String> disagreements = new java.util.ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            Setting setting = keys.get(k);
            for (int v = 0; v < TRICKY.size(); v++) {
                String value = TRICKY.get(v);
                // each pair in one layer (argument, -D, environment), rotating, so every layer sees every key
                // and most values while the run stays a few seconds
                int layer = (k + v) % 3;
                {
                    Map<String, String> args = layer == 0 ? Map.of(setting.key(), value) : Map.of();
                    Properties sys = new Properties();
                    if (layer == 1) {
                        sys.setProperty(setting.path(), value);
                    }
                    Map<String, String> env =
                            layer == 2 ? Map.of(setting.envNames().get(0), value) : Map.of();
                    cases++;
                    AgentConfiguration lite = LiteSettings.readOrNull(args, sys, env);
                    if (lite == null) {
                        continue;
                    }
                    accepted++;
                    AgentConfiguration core = coreOrNull(args, sys, env);
                    if (!lite.equals(core)) {
                        disagreements.add(setting.path() + "=\"" + value + "\" in layer " + layer + ": fast path "
                                + lite + ", core " + (core == null ? "refuses" : core));
                    }
                }
            }
        }
        assertEquals(List.of(), disagreements, disagreements.size() + " of " + accepted + " accepted cases");
        assertTrue(accepted > cases / 10, "the fast path still takes the plain values: " + accepted + " of " + cases);
    }

    /** A drain that fills the shutdown's bound would leave no time to deregister: a settings error naming the key. */
    @Test
    void aDrainAsLongAsTheShutdownTimeoutIsAnErrorNamingBothKeys() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("agent.drain", "3s");
        Properties sys = new Properties();
        sys.setProperty("autoreg.agent.shutdown-timeout", "3s");
        assertNull(LiteSettings.readOrNull(args, sys, Map.of()));
        SettingsException e = assertThrows(SettingsException.class, () -> core(args, sys, Map.of()));
        assertTrue(
                e.getMessage().startsWith("autoreg.agent.drain = \"3s\" (agent argument agent.drain)")
                        && e.getMessage().contains("less than autoreg.agent.shutdown-timeout (3s)"),
                e.getMessage());

        sys.setProperty("autoreg.agent.shutdown-timeout", "6s");
        assertSameAsCore(args, sys, Map.of());
        assertSameAsCore(Map.of("agent.drain", "0s", "agent.shutdown-timeout", "100ms"), new Properties(), Map.of());
    }

    @Test
    void aDurationWithoutAUnitIsAnErrorOnBothPaths() {
        Map<String, String> args = Map.of("agent.drain", "500");
        assertNull(LiteSettings.readOrNull(args, new Properties(), Map.of()), "not 500 ms on the fast path");
        SettingsException e = assertThrows(SettingsException.class, () -> core(args, new Properties(), Map.of()));
        assertTrue(
                e.getMessage().startsWith("autoreg.agent.drain = \"500\" (agent argument agent.drain)")
                        && e.getMessage().contains("a unit is required"),
                e.getMessage());
    }

    @Test
    void withoutAUrlEachTypesOwnDefaultAsTheCoreReadsIt() {
        for (String type : List.of("service-registry", "etcd", "consul", "eureka")) {
            assertSameAsCore(Map.of("registry.type", type), new Properties(), Map.of());
        }
    }

    @Test
    void consulsOwnVariablesReadLikeTheCore() {
        Map<String, String> pod = Map.of(
                "AUTOREG_REGISTRY_TYPE", "consul",
                "CONSUL_HTTP_ADDR", "10.0.0.7:8500",
                "CONSUL_HTTP_SSL", "false",
                "CONSUL_HTTP_TOKEN", "b1gs3cr3t");
        assertSameAsCore(Map.of(), new Properties(), pod);
        assertSameAsCore(
                Map.of("registry.token", "own", "registry.url", "http://127.0.0.1:8500"), new Properties(), pod);
        assertEquals(
                "http://10.0.0.7:8500",
                LiteSettings.readOrNull(Map.of(), new Properties(), pod)
                        .registry()
                        .url());
        // with CONSUL_HTTP_AUTH the URL carries user info, which the light reader leaves to the core's, as a URL's own
        Map<String, String> auth = new java.util.HashMap<>(pod);
        auth.put("CONSUL_HTTP_AUTH", "ops:s3cr3t");
        assertNull(LiteSettings.readOrNull(Map.of(), new Properties(), auth));
    }

    @Test
    void etcdsMembersAndAEurekaServerListReadLikeTheCoreAndOneUrlTypesDeclineAList() {
        assertSameAsCore(
                Map.of("registry.type", "etcd", "registry.url", "[http://127.0.0.1:2379, http://127.0.0.2:2379]"),
                new Properties(),
                Map.of());
        assertSameAsCore(
                Map.of(),
                new Properties(),
                Map.of(
                        "AUTOREG_REGISTRY_TYPE", "eureka",
                        "AUTOREG_REGISTRY_URL", "http://127.0.0.1:8761/eureka/,http://127.0.0.2:8761/eureka/"));
        Map<String, String> serviceRegistry =
                Map.of("registry.url", "[http://127.0.0.1:8870/v1.0/default,http://127.0.0.2:8870/v1.0/default]");
        assertNull(LiteSettings.readOrNull(serviceRegistry, new Properties(), Map.of()));
        SettingsException e =
                assertThrows(SettingsException.class, () -> core(serviceRegistry, new Properties(), Map.of()));
        assertTrue(e.getMessage().contains("expected one URL for service-registry"), e.getMessage());
        Map<String, String> withApiPath = Map.of("registry.type", "etcd", "registry.url", "http://127.0.0.1:2379/v3");
        assertNull(LiteSettings.readOrNull(withApiPath, new Properties(), Map.of()));
    }

    @Test
    void credentialsInTheRegistryUrlAreRefusedOnBothPathsWithoutShowingThePassword() {
        Map<String, String> env = Map.of("AUTOREG_REGISTRY_URL", "http://ops:pa55@127.0.0.1:8870/v1.0/default");
        assertNull(LiteSettings.readOrNull(Map.of(), new Properties(), env), "the fast path must not drop them");
        SettingsException e = assertThrows(SettingsException.class, () -> core(Map.of(), new Properties(), env));
        assertTrue(
                e.getMessage()
                                .startsWith("autoreg.registry.url = \"http://ops:██@127.0.0.1:8870/v1.0/default\""
                                        + " (environment variable AUTOREG_REGISTRY_URL)")
                        && e.getMessage().contains("autoreg.registry.auth.username")
                        && !e.getMessage().contains("pa55"),
                e.getMessage());
    }

    @Test
    void aMisspeltSectionIsRefusedWithASuggestion() {
        Properties sys = new Properties();
        sys.setProperty("autoreg.heartbeet.timeout", "5s");
        assertNull(LiteSettings.readOrNull(Map.of(), sys, Map.of()));
        SettingsException e = assertThrows(SettingsException.class, () -> core(Map.of(), sys, Map.of()));
        assertEquals(
                "autoreg.heartbeet.timeout = \"5s\" (system property -Dautoreg.heartbeet.timeout): unknown key"
                        + " (did you mean autoreg.heartbeat.timeout?)",
                e.getMessage());
        Properties sidecar = new Properties();
        sidecar.setProperty("autoreg.sidecar.check.port", "8080");
        assertEquals(false, core(Map.of(), sidecar, Map.of()).agent() == null, "another front end's section passes");
    }

    @Test
    void moreMetadataThanFitsNextToWhatTheAgentAddsIsASettingsError() {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            pairs.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        }
        Map<String, String> thirteen = Map.of("AUTOREG_SERVICE_METADATA", pairs.toString());
        assertSameAsCore(Map.of(), new Properties(), thirteen);
        Map<String, String> fourteen = Map.of("AUTOREG_SERVICE_METADATA", pairs + ",k13=v");
        assertNull(LiteSettings.readOrNull(Map.of(), new Properties(), fourteen));
        SettingsException e = assertThrows(SettingsException.class, () -> core(Map.of(), new Properties(), fourteen));
        assertTrue(
                e.getMessage().startsWith("autoreg.service.metadata = ")
                        && e.getMessage().contains("at most 13 pairs")
                        && e.getMessage().contains("service_name, port, ports, host, pid, java_version, main"),
                e.getMessage());
    }

    @Test
    void aConfiguredIdThatCannotTakeThePortInPerPortModeIsASettingsError() {
        Map<String, String> fits = Map.of("service.id", "x".repeat(59), "agent.mode", "per-port");
        assertSameAsCore(fits, new Properties(), Map.of());
        Map<String, String> tooLong = Map.of("service.id", "x".repeat(60), "agent.mode", "per-port");
        assertNull(LiteSettings.readOrNull(tooLong, new Properties(), Map.of()));
        SettingsException e = assertThrows(SettingsException.class, () -> core(tooLong, new Properties(), Map.of()));
        assertTrue(
                e.getMessage().startsWith("autoreg.service.id = ")
                        && e.getMessage().contains("at most 59 characters"),
                e.getMessage());
        assertSameAsCore(Map.of("service.id", "x".repeat(65)), new Properties(), Map.of());
    }

    @Test
    void metadataAsPairsReadsLikeTheCore() {
        assertSameAsCore(Map.of(), new Properties(), Map.of("AUTOREG_SERVICE_METADATA", "team=core,tier=1"));
    }

    /** etcd over plain HTTP is read here too; where the core's etcd limits are looser, the fast path leaves it. */
    @Test
    void etcdReadsLikeTheCoreAndWhatOnlyTheCoreTakesForEtcdIsDeclined() {
        Map<String, String> etcd = new LinkedHashMap<>();
        etcd.put("registry.type", "etcd");
        etcd.put("registry.url", "http://127.0.0.1:2379");
        etcd.put("service.name", "orders");
        etcd.put("service.tags", "a,b");
        etcd.put("heartbeat.timeout", "9s");
        assertSameAsCore(etcd, new Properties(), Map.of());
        assertEquals(
                "etcd",
                LiteSettings.readOrNull(etcd, new Properties(), Map.of())
                        .registry()
                        .type());
        assertSameAsCore(Map.of("registry.type", "etcd"), new Properties(), Map.of("AUTOREG_TOKEN", "ignored-by-etcd"));

        // the core takes these for etcd (no tag limit, timeouts from 1 s, not whole seconds); the fast path declines
        for (String[] looser : new String[][] {
            {"service.tags", "t1,t2,t3,t4,t5,t6,t7,t8,t9,t10,t11"},
            {"heartbeat.timeout", "2500ms"},
            {"heartbeat.timeout", "1s"}
        }) {
            Map<String, String> overrides = new LinkedHashMap<>(etcd);
            overrides.put(looser[0], looser[1]);
            assertNotNull(core(overrides, new Properties(), Map.of()), "the core takes " + looser[1]);
            assertNull(LiteSettings.readOrNull(overrides, new Properties(), Map.of()), looser[1]);
        }
        // a key prefix, an etcd user or TLS: the core's reader
        Properties prefix = new Properties();
        prefix.setProperty("autoreg.registry.etcd.prefix", "/services");
        assertNull(LiteSettings.readOrNull(etcd, prefix, Map.of()));
        Map<String, String> user = new LinkedHashMap<>(etcd);
        user.put("registry.auth.username", "root");
        assertNull(LiteSettings.readOrNull(user, new Properties(), Map.of()));
    }

    /** Eureka over plain HTTP too; a URL with credentials goes to the core's reader, which says what it takes. */
    @Test
    void eurekaReadsLikeTheCoreAndCredentialsInItsUrlAreLeftToTheCore() {
        Map<String, String> eureka = new LinkedHashMap<>();
        eureka.put("registry.type", "eureka");
        eureka.put("registry.url", "http://127.0.0.1:8761/eureka");
        eureka.put("agent.drain", "2s");
        assertSameAsCore(eureka, new Properties(), Map.of());
        Map<String, String> withUser = new LinkedHashMap<>(eureka);
        withUser.put("registry.url", "http://user:pw@127.0.0.1:8761/eureka");
        assertNotNull(core(withUser, new Properties(), Map.of()));
        assertNull(LiteSettings.readOrNull(withUser, new Properties(), Map.of()));
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
        assertEquals(
                false,
                LiteSettings.readOrNull(Map.of(), new Properties(), Map.of("AUTOREG_ENABLED", "false"))
                        .enabled());
    }
}
