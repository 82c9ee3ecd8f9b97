package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogLevel() {
        Log.level(Log.Level.WARN);
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private Path file(String content) throws IOException {
        Path f = dir.resolve("autoreg.conf");
        Files.writeString(f, content);
        return f;
    }

    private static AutoregSettings load(
            Map<String, String> overrides, Properties sys, Map<String, String> env, Path file) {
        return SettingsLoader.load(overrides, sys, env, file);
    }

    @Test
    void builtInDefaultsApplyWhenNothingIsSet() {
        AutoregSettings s = load(Map.of(), props(), Map.of(), null);
        assertTrue(s.enabled());
        assertEquals("service-registry", s.registry().type());
        assertEquals("http://127.0.0.1:8870/v1.0/default", s.registry().url());
        assertNull(s.registry().token());
        assertEquals(Duration.ofSeconds(2), s.registry().connectTimeout());
        assertEquals(Duration.ofSeconds(5), s.registry().requestTimeout());
        assertEquals(Duration.ofSeconds(30), s.heartbeat().timeout());
        assertNull(s.heartbeat().interval());
        assertEquals(Duration.ofMillis(250), s.heartbeat().initialBackoff());
        assertEquals(Duration.ofSeconds(10), s.heartbeat().maxBackoff());
        assertNull(s.service().name());
        assertEquals(List.of(), s.service().tags());
        assertEquals(Map.of(), s.service().metadata());
    }

    @Test
    void theHostApplicationsApplicationConfAndReferenceConfAreNeverRead() {
        // both test resources set autoreg.heartbeat.timeout; neither may leak in
        AutoregSettings s = load(Map.of(), props(), Map.of(), null);
        assertEquals(Duration.ofSeconds(30), s.heartbeat().timeout());
        assertEquals("http://127.0.0.1:8870/v1.0/default", s.registry().url());
    }

    @Test
    void eachLayerBeatsTheOnesBelowIt() throws IOException {
        Path f = file("autoreg.heartbeat.timeout = 10s\nautoreg.service.name = from-file\n");
        Map<String, String> env = Map.of("AUTOREG_HEARTBEAT_TIMEOUT", "11s", "AUTOREG_SERVICE_NAME", "from-env");
        Properties sys = props("autoreg.heartbeat.timeout", "12s", "autoreg.service.id", "from-sysprop");

        assertEquals(
                Duration.ofSeconds(10),
                load(Map.of(), props(), Map.of(), f).heartbeat().timeout(),
                "file > defaults");
        assertEquals(
                Duration.ofSeconds(11),
                load(Map.of(), props(), env, f).heartbeat().timeout(),
                "env > file");
        assertEquals("from-env", load(Map.of(), props(), env, f).service().name(), "env > file");
        assertEquals(
                Duration.ofSeconds(12), load(Map.of(), sys, env, f).heartbeat().timeout(), "sysprop > env");
        AutoregSettings top = load(Map.of("heartbeat.timeout", "13s", "service.id", "from-args"), sys, env, f);
        assertEquals(Duration.ofSeconds(13), top.heartbeat().timeout(), "agent argument > sysprop");
        assertEquals("from-args", top.service().id(), "agent argument > sysprop");
        assertEquals("from-env", top.service().name(), "untouched keys keep their layer");
    }

    @Test
    void flatStringsFromSystemPropertiesBecomeDurationsListsAndMaps() {
        AutoregSettings s = load(
                Map.of(),
                props(
                        "autoreg.heartbeat.timeout", "3s",
                        "autoreg.heartbeat.interval", "1500ms",
                        "autoreg.service.tags", "a, b,c",
                        "autoreg.service.metadata", "k=v,k2=v2=x",
                        "autoreg.enabled", "false"),
                Map.of(),
                null);
        assertEquals(Duration.ofSeconds(3), s.heartbeat().timeout());
        assertEquals(Duration.ofMillis(1500), s.heartbeat().interval());
        assertEquals(List.of("a", "b", "c"), s.service().tags());
        assertEquals(Map.of("k", "v", "k2", "v2=x"), s.service().metadata());
        assertFalse(s.enabled());
    }

    @Test
    void dottedMetadataPropertiesAreMergedIntoTheMap() throws IOException {
        Path f = file("autoreg.service.metadata { team = core }\n");
        AutoregSettings s = load(
                Map.of(),
                props("autoreg.service.metadata.zone", "eu-1", "autoreg.service.metadata.k8s.io", "x"),
                Map.of(),
                f);
        assertEquals(
                Map.of("team", "core", "zone", "eu-1", "k8s.io", "x"),
                s.service().metadata());
    }

    @Test
    void environmentVariablesCarryListsAndMapsAsFlatStrings() {
        AutoregSettings s = load(
                Map.of(),
                props(),
                Map.of(
                        "AUTOREG_SERVICE_TAGS", "x,y",
                        "AUTOREG_SERVICE_METADATA", "a=1",
                        "AUTOREG_REGISTRY_URL", "http://10.0.0.1:9000/v1.0/t",
                        "AUTOREG_TOKEN", "secret",
                        "PATH", "/usr/bin",
                        "weird.name", "ignored"),
                null);
        assertEquals(List.of("x", "y"), s.service().tags());
        assertEquals(Map.of("a", "1"), s.service().metadata());
        assertEquals("http://10.0.0.1:9000/v1.0/t", s.registry().url());
        assertEquals("secret", s.registry().token());
    }

    @Test
    void theConfigFileIsFoundThroughArgumentSystemPropertyOrEnvironment() throws IOException {
        Path f = file("autoreg.service.name = found\n");
        assertEquals(
                "found",
                load(Map.of("config", f.toString()), props(), Map.of(), null)
                        .service()
                        .name());
        assertEquals(
                "found",
                load(Map.of(), props("autoreg.config", f.toString()), Map.of(), null)
                        .service()
                        .name());
        assertEquals(
                "found",
                load(Map.of(), props(), Map.of("AUTOREG_CONFIG", f.toString()), null)
                        .service()
                        .name());
    }

    @Test
    void theConfigFileMayUseSubstitutionsOfTheEnvironment() throws IOException {
        Path f = file("autoreg.service.name = ${?MY_APP_NAME}\n");
        assertEquals(
                "orders",
                load(Map.of(), props(), Map.of("MY_APP_NAME", "orders"), f)
                        .service()
                        .name());
        assertNull(load(Map.of(), props(), Map.of(), f).service().name());
    }

    @Test
    void backendOptionsAreTheFlattenedSectionOfTheChosenType() throws IOException {
        Path f = file(
                "autoreg.registry { type = etcd, url = \"http://127.0.0.1:2379\", etcd { prefix = /svc, lease { ttl-factor = 3 } } }\n");
        RegistrySettings r = load(Map.of(), props(), Map.of(), f).registry();
        assertEquals("etcd", r.type());
        assertEquals(Map.of("prefix", "/svc", "lease.ttl-factor", "3"), r.options());
    }

    @Test
    void aFrontEndsExtraDefaultsAreMergedAndReadable() {
        AutoregSettings s = SettingsLoader.load(
                Map.of(),
                props(),
                Map.of("AUTOREG_AGENT_MODE", "per-port"),
                null,
                "io/autoreg/core/test-front-end-defaults.conf",
                getClass().getClassLoader());
        assertEquals("per-port", new SettingsReader(s.config()).string("autoreg.agent.mode"));
        AutoregSettings byArg = SettingsLoader.load(
                Map.of("agent.mode", "x"),
                props(),
                Map.of(),
                null,
                "io/autoreg/core/test-front-end-defaults.conf",
                getClass().getClassLoader());
        assertEquals("x", new SettingsReader(byArg.config()).string("autoreg.agent.mode"));
    }

    @Test
    void anotherFrontEndsSectionInASharedFileIsNotAnError() throws IOException {
        Path f = file("autoreg.sidecar.check.path = /health\n");
        assertEquals(
                "/health",
                new SettingsReader(load(Map.of(), props(), Map.of(), f).config()).string("autoreg.sidecar.check.path"));
    }

    @Test
    void theLogLevelIsAppliedOnLoad() {
        load(Map.of("log.level", "debug"), props(), Map.of(), null);
        assertEquals(Log.Level.DEBUG, Log.level());
    }

    // ---- every validation error names key, origin and what is allowed, on one line ----

    private static String error(Map<String, String> overrides, Properties sys, Map<String, String> env, Path file) {
        SettingsException e = assertThrows(SettingsException.class, () -> load(overrides, sys, env, file));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aBadDurationFromASystemPropertyNamesTheProperty() {
        assertEquals(
                "autoreg.heartbeat.timeout = \"soon\" (system property -Dautoreg.heartbeat.timeout): "
                        + "expected a duration such as 30s, between 3s and 120s",
                error(Map.of(), props("autoreg.heartbeat.timeout", "soon"), Map.of(), null));
    }

    @Test
    void aBadDurationFromTheEnvironmentNamesTheVariable() {
        assertEquals(
                "autoreg.heartbeat.timeout = \"1s\" (environment variable AUTOREG_HEARTBEAT_TIMEOUT): "
                        + "expected a duration such as 30s, between 3s and 120s",
                error(Map.of(), props(), Map.of("AUTOREG_HEARTBEAT_TIMEOUT", "1s"), null));
    }

    @Test
    void aBadDurationFromAnAgentArgumentNamesTheArgument() {
        assertEquals(
                "autoreg.heartbeat.timeout = \"121s\" (agent argument heartbeat.timeout): "
                        + "expected a duration such as 30s, between 3s and 120s",
                error(Map.of("heartbeat.timeout", "121s"), props(), Map.of(), null));
    }

    @Test
    void aFrontEndNamesItsOwnOverrides() {
        SettingsException e = assertThrows(
                SettingsException.class,
                () -> SettingsLoader.load(
                        Map.of("heartbeat.timeout", "1s"),
                        "command-line flag",
                        props(),
                        Map.of(),
                        null,
                        null,
                        getClass().getClassLoader()));
        assertEquals(
                "autoreg.heartbeat.timeout = \"1s\" (command-line flag heartbeat.timeout): "
                        + "expected a duration such as 30s, between 3s and 120s",
                e.getMessage());
    }

    @Test
    void aFrontEndNamesEachOverrideByItsFlag() {
        Map<String, String> flags = Map.of("heartbeat.timeout", "--heartbeat-timeout");
        SettingsException e = assertThrows(
                SettingsException.class,
                () -> SettingsLoader.load(
                        Map.of("heartbeat.timeout", "1s"),
                        key -> "command-line flag " + flags.getOrDefault(key, "autoreg." + key),
                        props(),
                        Map.of(),
                        null,
                        null,
                        getClass().getClassLoader()));
        assertEquals(
                "autoreg.heartbeat.timeout = \"1s\" (command-line flag --heartbeat-timeout): "
                        + "expected a duration such as 30s, between 3s and 120s",
                e.getMessage());
    }

    @Test
    void aBadValueInTheFileNamesFileAndLine() throws IOException {
        Path f = file("autoreg {\n  heartbeat {\n    timeout = 3m\n  }\n}\n");
        assertEquals(
                "autoreg.heartbeat.timeout = \"3m\" (" + f
                        + ":3): expected a duration such as 30s, between 3s and 120s",
                error(Map.of(), props(), Map.of(), f));
    }

    @Test
    void aNumberWithoutUnitIsRejectedNotReadAsMilliseconds() throws IOException {
        Path f = file("autoreg.heartbeat.timeout = 30\n");
        assertEquals(
                "autoreg.heartbeat.timeout = \"30\" (" + f + ":1): expected a duration such as 30s, "
                        + "between 3s and 120s (a unit is required)",
                error(Map.of(), props(), Map.of(), f));
    }

    @Test
    void serviceRegistryTimeoutsAreWholeSeconds() {
        assertEquals(
                "autoreg.heartbeat.timeout = \"3500ms\" (system property -Dautoreg.heartbeat.timeout): "
                        + "expected whole seconds between 3s and 120s (service-registry)",
                error(Map.of(), props("autoreg.heartbeat.timeout", "3500ms"), Map.of(), null));
    }

    @Test
    void otherBackendsAllowLongerTimeouts() {
        AutoregSettings s =
                load(Map.of("registry.type", "eureka", "heartbeat.timeout", "90s"), props(), Map.of(), null);
        assertEquals(Duration.ofSeconds(90), s.heartbeat().timeout());
    }

    @Test
    void anIntervalMustBeShorterThanTheTimeout() {
        assertEquals(
                "autoreg.heartbeat.interval = \"30s\" (agent argument heartbeat.interval): "
                        + "expected a duration below autoreg.heartbeat.timeout (30s)",
                error(Map.of("heartbeat.interval", "30s"), props(), Map.of(), null));
    }

    @Test
    void anUnknownRegistryTypeListsTheAllowedOnes() {
        assertEquals(
                "autoreg.registry.type = \"zk\" (system property -Dautoreg.registry.type): "
                        + "expected one of service-registry | registro | etcd | zookeeper | eureka | consul",
                error(Map.of(), props("autoreg.registry.type", "zk"), Map.of(), null));
    }

    @Test
    void aBadUrlIsRejected() {
        assertEquals(
                "autoreg.registry.url = \"localhost:8870\" (environment variable AUTOREG_REGISTRY_URL): "
                        + "expected an http:// or https:// URL such as http://127.0.0.1:8870/v1.0/default",
                error(Map.of(), props(), Map.of("AUTOREG_REGISTRY_URL", "localhost:8870"), null));
    }

    @Test
    void aServiceRegistryUrlWithoutItsTenantPathIsRejectedWithTheUrlMeant() {
        // the registry answers "The page cannot be found." for every call outside /v1.0/{tenant}: the agent would
        // retry its registration for ever
        for (String url : List.of(
                "http://127.0.0.1:8870",
                "http://127.0.0.1:8870/",
                "http://127.0.0.1:8870/v1.0",
                "http://127.0.0.1:8870/default")) {
            assertEquals(
                    "autoreg.registry.url = \"" + url + "\" (environment variable AUTOREG_REGISTRY_URL): expected the"
                            + " API's base URL, which ends in /v1.0/{tenant}, such as http://127.0.0.1:8870/v1.0/default",
                    error(Map.of(), props(), Map.of("AUTOREG_REGISTRY_URL", url), null));
        }
        // what every request would carry, or lose: path parameters (two agent arguments joined with ';'), a query,
        // a fragment — named with the URL cut before them
        assertEquals(
                "autoreg.registry.url = \"http://127.0.0.1:8870/v1.0/default;service.name=orders\" (agent argument"
                        + " registry.url): expected the API's base URL, which ends in /v1.0/{tenant} with no"
                        + " ;parameters, ?query or #fragment, such as http://127.0.0.1:8870/v1.0/default (a ';' in it:"
                        + " were two agent arguments joined with ';' rather than ','?)",
                error(
                        Map.of("registry.url", "http://127.0.0.1:8870/v1.0/default;service.name=orders"),
                        props(),
                        Map.of(),
                        null));
        for (String url : List.of("http://127.0.0.1:8870/v1.0/acme?region=dfw", "http://127.0.0.1:8870/v1.0/acme#x")) {
            assertEquals(
                    "autoreg.registry.url = \"" + url + "\" (environment variable AUTOREG_REGISTRY_URL): expected the"
                            + " API's base URL, which ends in /v1.0/{tenant} with no ;parameters, ?query or #fragment,"
                            + " such as http://127.0.0.1:8870/v1.0/acme",
                    error(Map.of(), props(), Map.of("AUTOREG_REGISTRY_URL", url), null));
        }
        // behind a proxy's prefix, with a trailing slash: still the API
        for (String url : List.of("http://127.0.0.1:80/registry/v1.0/acme", "http://[::1]:8870/v1.0/default/")) {
            assertEquals(
                    url,
                    SettingsLoader.load(Map.of("registry.url", url), props(), Map.of(), null)
                            .registry()
                            .url());
        }
        // other types keep their own paths
        assertEquals(
                "http://127.0.0.1:2379",
                SettingsLoader.load(
                                Map.of("registry.type", "etcd", "registry.url", "http://127.0.0.1:2379"),
                                props(),
                                Map.of(),
                                null)
                        .registry()
                        .url());
    }

    @Test
    void credentialsInAServiceRegistryOrEtcdUrlAreRefusedWithTheAuthSettingsNamedAndThePasswordHidden() {
        assertEquals(
                "autoreg.registry.url = \"http://ops:██@127.0.0.1:8870/v1.0/default\" (environment variable"
                        + " AUTOREG_REGISTRY_URL): expected no user:password@ in the URL for service-registry (only"
                        + " eureka, consul and registro send it as basic auth); give autoreg.registry.auth.username"
                        + " and autoreg.registry.auth.api-key, or autoreg.registry.token instead",
                error(
                        Map.of(),
                        props(),
                        Map.of("AUTOREG_REGISTRY_URL", "http://ops:s3cr3t@127.0.0.1:8870/v1.0/default"),
                        null));
        String etcd = error(
                Map.of("registry.type", "etcd", "registry.url", "http://root:pw@127.0.0.1:2379"),
                props(),
                Map.of(),
                null);
        assertTrue(
                etcd.startsWith("autoreg.registry.url = \"http://root:██@127.0.0.1:2379\" (agent argument"
                                + " registry.url)")
                        && etcd.contains("(the etcd user and password)"),
                etcd);
        // an unescaped '@' in the password: not a URL java.net.URI reads, and still not shown
        String broken = error(Map.of("registry.url", "http://root:p@ss@127.0.0.1:2379"), props(), Map.of(), null);
        assertTrue(broken.startsWith("autoreg.registry.url = \"http://root:██@127.0.0.1:2379\""), broken);
        String authUrl = error(
                Map.of("registry.auth.url", "http://u:hidden@127.0.0.1:5000/v2.0/tokens"), props(), Map.of(), null);
        assertTrue(
                authUrl.startsWith("autoreg.registry.auth.url = \"http://u:██@127.0.0.1:5000/v2.0/tokens\"")
                        && !authUrl.contains("hidden"),
                authUrl);
    }

    @Test
    void withoutAUrlEachTypeGoesToItsEnginesOwnLocalDefault() throws IOException {
        Map<String, String> expected = Map.of(
                "service-registry", "http://127.0.0.1:8870/v1.0/default",
                "etcd", "http://127.0.0.1:2379",
                "consul", "http://127.0.0.1:8500",
                "eureka", "http://127.0.0.1:8761/eureka",
                "zookeeper", "127.0.0.1:2181",
                "registro", "http://127.0.0.1:8870/registro/1.0");
        for (Map.Entry<String, String> type : expected.entrySet()) {
            assertEquals(
                    type.getValue(),
                    load(Map.of(), props(), Map.of("AUTOREG_REGISTRY_TYPE", type.getKey()), null)
                            .registry()
                            .url(),
                    type.getKey());
        }
        // set anywhere, even to the service registry's default, it is what was set
        Path file = file("autoreg.registry.url = \"http://127.0.0.1:8870/v1.0/default\"\n");
        assertEquals(
                "http://127.0.0.1:8870/v1.0/default",
                load(Map.of("registry.type", "registro"), props(), Map.of(), file)
                        .registry()
                        .url());
    }

    @Test
    void consulsOwnVariablesStandInForTheUrlAndTokenNotSetAsConsulsClientsReadThem() {
        Map<String, String> pod = Map.of(
                "AUTOREG_REGISTRY_TYPE", "consul",
                "CONSUL_HTTP_ADDR", "10.0.0.7:8500",
                "CONSUL_HTTP_TOKEN", "b1gs3cr3t");
        RegistrySettings consul = load(Map.of(), props(), pod, null).registry();
        assertEquals("http://10.0.0.7:8500", consul.url());
        assertEquals("b1gs3cr3t", consul.token());

        Map<String, String> tls = new java.util.HashMap<>(pod);
        tls.put("CONSUL_HTTP_SSL", "1");
        assertEquals(
                "https://10.0.0.7:8500",
                load(Map.of(), props(), tls, null).registry().url());
        tls.put("CONSUL_HTTP_ADDR", "http://consul.local:8500");
        assertEquals(
                "http://consul.local:8500",
                load(Map.of(), props(), tls, null).registry().url(),
                "its scheme kept");

        // autoreg's own settings win, in any layer; and another type reads none of Consul's
        Map<String, String> both = new java.util.HashMap<>(pod);
        both.put("AUTOREG_REGISTRY_URL", "http://127.0.0.1:8500");
        assertEquals(
                "http://127.0.0.1:8500",
                load(Map.of(), props(), both, null).registry().url());
        assertEquals(
                "own",
                load(Map.of("registry.token", "own"), props(), pod, null)
                        .registry()
                        .token());
        Map<String, String> etcd = new java.util.HashMap<>(pod);
        etcd.put("AUTOREG_REGISTRY_TYPE", "etcd");
        RegistrySettings notConsul = load(Map.of(), props(), etcd, null).registry();
        assertEquals("http://127.0.0.1:2379", notConsul.url());
        assertNull(notConsul.token());

        Map<String, String> socket = new java.util.HashMap<>(pod);
        socket.put("CONSUL_HTTP_ADDR", "unix:///var/run/consul.sock");
        assertEquals(
                "autoreg.registry.url = \"unix:///var/run/consul.sock\" (environment variable CONSUL_HTTP_ADDR):"
                        + " expected an http:// or https:// URL",
                error(Map.of(), props(), socket, null));
    }

    /** CONSUL_HTTP_AUTH, as Consul's API package reads it: user:password split at the first colon, sent as basic auth. */
    @Test
    void consulsAuthVariableBecomesTheUrlsUserInfoEncodedAndHiddenWhereTheUrlIsShown() {
        Map<String, String> pod = Map.of(
                "AUTOREG_REGISTRY_TYPE", "consul",
                "CONSUL_HTTP_ADDR", "10.0.0.7:8500",
                "CONSUL_HTTP_AUTH", "ops:p@ss:w0rd/ü");
        RegistrySettings consul = load(Map.of(), props(), pod, null).registry();
        assertEquals("http://ops:p%40ss%3Aw0rd%2F%C3%BC@10.0.0.7:8500", consul.url());
        okhttp3.HttpUrl parsed = okhttp3.HttpUrl.get(consul.url());
        assertEquals("ops", parsed.username());
        assertEquals("p@ss:w0rd/ü", parsed.password(), "what the client sends as basic auth");
        assertFalse(consul.toString().contains("w0rd"), consul.toString());

        // only the auth set: Consul's clients' default address; a user alone; the URL's own user info kept
        assertEquals(
                "http://ops@127.0.0.1:8500",
                load(Map.of(), props(), Map.of("AUTOREG_REGISTRY_TYPE", "consul", "CONSUL_HTTP_AUTH", "ops"), null)
                        .registry()
                        .url());
        Map<String, String> own = new java.util.HashMap<>(pod);
        own.put("CONSUL_HTTP_ADDR", "http://me:mine@10.0.0.7:8500");
        assertEquals(
                "http://me:mine@10.0.0.7:8500",
                load(Map.of(), props(), own, null).registry().url());

        // a bad address with the auth in it: the error names both variables and shows no password
        Map<String, String> socket = new java.util.HashMap<>(pod);
        socket.put("CONSUL_HTTP_ADDR", "unix:///var/run/consul.sock");
        String error = error(Map.of(), props(), socket, null);
        assertTrue(
                error.contains("(environment variables CONSUL_HTTP_ADDR, CONSUL_HTTP_AUTH)") && !error.contains("w0rd"),
                error);
    }

    @Test
    void aListWrittenAsAnObjectIsSaidAsSuch() throws IOException {
        Path tags = file("autoreg.service.tags = { a = 1 }\n");
        assertEquals(
                "autoreg.service.tags = \"{\"a\":1}\" (" + tags
                        + ":1): expected a list, written in brackets [ ... ], not" + " an object",
                error(Map.of(), props(), Map.of(), tags));
    }

    @Test
    void aZookeeperUrlIsAConnectString() {
        for (String connect : List.of(
                "127.0.0.1:2181", "zk1:2181,zk2:2181,zk3", "zk1:2181,zk2:2181/apps/autoreg", "[::1]:2181", "zk/")) {
            assertEquals(
                    connect,
                    load(Map.of("registry.type", "zookeeper", "registry.url", connect), props(), Map.of(), null)
                            .registry()
                            .url());
        }
        String expected = "expected a ZooKeeper connect string, host:port servers separated by commas and an optional"
                + " /chroot, such as 127.0.0.1:2181 or zk1:2181,zk2:2181/apps";
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("zk://127.0.0.1:2181", " (no scheme)");
        refused.put("http://127.0.0.1:2181", " (no scheme)");
        refused.put("127.0.0.1:99999", " (127.0.0.1:99999: 99999 is not a port (1 to 65535))");
        refused.put("zk1:2181,,zk2:2181", " (an empty server between commas)");
        refused.put("::1:2181", " (::1:2181: an IPv6 address goes in brackets, [::1]:2181)");
        refused.put("zk1:2181/apps/", " (the chroot /apps/ has an empty segment)");
        refused.put("zk 1:2181", " (zk 1 is not a host name or an IP address)");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            assertEquals(
                    "autoreg.registry.url = \"" + bad.getKey() + "\" (agent argument registry.url): " + expected
                            + bad.getValue(),
                    error(Map.of("registry.type", "zookeeper", "registry.url", bad.getKey()), props(), Map.of(), null));
        }
    }

    @Test
    void etcdAndEurekaTakeAListOfServersTheOtherTypesOne() {
        // as etcdctl --endpoints and a Eureka defaultZone write them; in agent arguments, in brackets
        AutoregSettings etcd = load(
                Map.of("registry.type", "etcd", "registry.url", "[http://127.0.0.1:2379, http://127.0.0.2:2379]"),
                props(),
                Map.of(),
                null);
        assertEquals(
                "http://127.0.0.1:2379,http://127.0.0.2:2379", etcd.registry().url());
        assertEquals(
                List.of("http://127.0.0.1:2379", "http://127.0.0.2:2379"),
                etcd.registry().urls());
        AutoregSettings eureka = load(
                Map.of(),
                props(),
                Map.of(
                        "AUTOREG_REGISTRY_TYPE", "eureka",
                        "AUTOREG_REGISTRY_URL",
                                "http://u:p,w@127.0.0.1:8761/eureka/,http://u:p,w@127.0.0.2:8761/eureka/"),
                null);
        assertEquals(
                List.of("http://u:p,w@127.0.0.1:8761/eureka/", "http://u:p,w@127.0.0.2:8761/eureka/"),
                eureka.registry().urls(),
                "a comma in a password stays in its URL");
        assertFalse(
                eureka.registry().toString().contains("p,w"), eureka.registry().toString());

        assertEquals(
                "autoreg.registry.url = \"http://127.0.0.1:8500,http://127.0.0.2:8500\" (agent argument registry.url):"
                        + " expected one URL for consul: only etcd (its members) and eureka (a defaultZone list) take"
                        + " several, comma-separated",
                error(
                        Map.of(
                                "registry.type",
                                "consul",
                                "registry.url",
                                "http://127.0.0.1:8500,http://127.0.0.2:8500"),
                        props(),
                        Map.of(),
                        null));
        assertEquals(
                "autoreg.registry.url = \"http://127.0.0.1:2379,127.0.0.2:2379\" (agent argument registry.url):"
                        + " expected an http:// or https:// URL",
                error(
                        Map.of("registry.type", "etcd", "registry.url", "http://127.0.0.1:2379,127.0.0.2:2379"),
                        props(),
                        Map.of(),
                        null),
                "a member without its scheme is not split off: the list reads as one broken URL");
        assertEquals(
                "autoreg.registry.url = \"http://127.0.0.1:2379,ftp://127.0.0.2:2379\" (agent argument registry.url):"
                        + " expected an http:// or https:// URL (\"ftp://127.0.0.2:2379\" is not)",
                error(
                        Map.of("registry.type", "etcd", "registry.url", "http://127.0.0.1:2379,ftp://127.0.0.2:2379"),
                        props(),
                        Map.of(),
                        null));
    }

    @Test
    void anEtcdUrlWithTheApisOwnPathNamesTheUrlMeant() {
        for (String url :
                List.of("http://127.0.0.1:2379/v3", "http://127.0.0.1:2379/v3beta/", "http://127.0.0.1:2379/v3alpha")) {
            assertEquals(
                    "autoreg.registry.url = \"" + url + "\" (agent argument registry.url): expected etcd's client URL"
                            + " without the API's path, such as http://127.0.0.1:2379: autoreg adds /v3/...",
                    error(Map.of("registry.type", "etcd", "registry.url", url), props(), Map.of(), null));
        }
        // a gateway behind a proxy's prefix keeps its path
        assertEquals(
                "https://proxy.example.com/etcd",
                load(
                                Map.of("registry.type", "etcd", "registry.url", "https://proxy.example.com/etcd"),
                                props(),
                                Map.of(),
                                null)
                        .registry()
                        .url());
    }

    @Test
    void credentialsInAnEurekaConsulOrRegistroUrlAreKeptForBasicAuth() {
        for (String type : List.of("eureka", "consul", "registro")) {
            AutoregSettings settings = load(
                    Map.of("registry.type", type, "registry.url", "http://ops:s3cr3t@127.0.0.1:8761/eureka"),
                    props(),
                    Map.of(),
                    null);
            assertEquals(
                    "http://ops:s3cr3t@127.0.0.1:8761/eureka",
                    settings.registry().url(),
                    type);
            assertFalse(
                    settings.registry().toString().contains("s3cr3t"),
                    settings.registry().toString());
        }
    }

    @Test
    void aBadBooleanIsRejected() {
        assertEquals(
                "autoreg.enabled = \"maybe\" (environment variable AUTOREG_ENABLED): expected true or false",
                error(Map.of(), props(), Map.of("AUTOREG_ENABLED", "maybe"), null));
    }

    @Test
    void aBadLogLevelListsTheLevels() {
        assertEquals(
                "autoreg.log.level = \"loud\" (agent argument log.level): expected one of error | warn | info | debug",
                error(Map.of("log.level", "loud"), props(), Map.of(), null));
    }

    @Test
    void anUnknownKeyIsAnErrorWithASuggestion() {
        assertEquals(
                "autoreg.heartbeat.timout = \"3s\" (system property -Dautoreg.heartbeat.timout): "
                        + "unknown key (did you mean autoreg.heartbeat.timeout?)",
                error(Map.of(), props("autoreg.heartbeat.timout", "3s"), Map.of(), null));
    }

    @Test
    void anUnknownKeyInAnUnknownSectionIsAnErrorWithASuggestionToo() throws IOException {
        assertEquals(
                "autoreg.heartbeet.timeout = \"5s\" (system property -Dautoreg.heartbeet.timeout): "
                        + "unknown key (did you mean autoreg.heartbeat.timeout?)",
                error(Map.of(), props("autoreg.heartbeet.timeout", "5s"), Map.of(), null));
        assertTrue(error(Map.of("servce.name", "x"), props(), Map.of(), null)
                .endsWith("unknown key (did you mean autoreg.service.name?)"));
        assertTrue(error(Map.of(), props(), Map.of(), file("autoreg.nonsense = 1\n"))
                .contains("autoreg.nonsense = \"1\""));
    }

    @Test
    void aValueInPlaceOfASectionNamesTheSectionsKeys() throws IOException {
        // registry=<url> would replace the whole registry section; the error once named registry.type as "not set"
        assertEquals(
                "autoreg.registry = \"http://127.0.0.1:8870/v1.0/default\" (agent argument registry): a section, not a"
                        + " value: set its keys (autoreg.registry.connect-timeout, autoreg.registry.request-timeout,"
                        + " autoreg.registry.token, autoreg.registry.type, autoreg.registry.url)",
                error(Map.of("registry", "http://127.0.0.1:8870/v1.0/default"), props(), Map.of(), null));
        assertTrue(error(Map.of(), props("autoreg.heartbeat", "5s"), Map.of(), null)
                .startsWith(
                        "autoreg.heartbeat = \"5s\" (system property -Dautoreg.heartbeat): a section, not a value"));
        assertTrue(error(Map.of(), props(), Map.of(), file("autoreg.service = orders\n"))
                .contains("a section, not a value: set its keys (autoreg.service."));
        // a free-form map takes its pairs as one string, as before
        assertEquals(
                "v",
                load(Map.of("service.metadata", "k=v"), props(), Map.of(), null)
                        .service()
                        .metadata()
                        .get("k"));
    }

    @Test
    void metadataBeyondWhatServiceRegistryTakesNextToTheServiceNameIsRejected() {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < 19; i++) {
            pairs.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        }
        assertEquals(
                19,
                load(Map.of("service.metadata", pairs.toString()), props(), Map.of(), null)
                        .service()
                        .metadata()
                        .size());
        assertTrue(error(Map.of("service.metadata", pairs + ",k19=v"), props(), Map.of(), null)
                .endsWith(
                        "expected at most 19 pairs with keys and values of 1 to 255 characters (service-registry takes 20,"
                                + " one of them service_name)"));
    }

    @Test
    void aBadServiceIdStatesTheRule() {
        assertEquals(
                "autoreg.service.id = \"ab\" (agent argument service.id): expected 3 to 65 characters of A-Z a-z 0-9 _ . -",
                error(Map.of("service.id", "ab"), props(), Map.of(), null));
    }

    @Test
    void tooManyTagsAreRejected() {
        assertEquals(
                "autoreg.service.tags = \"a,b,c,d,e,f,g,h,i,j,k\" (system property -Dautoreg.service.tags): "
                        + "expected at most 10 tags of 1 to 55 characters each",
                error(Map.of(), props("autoreg.service.tags", "a,b,c,d,e,f,g,h,i,j,k"), Map.of(), null));
    }

    @Test
    void aMetadataStringWithoutEqualsSignIsRejected() {
        assertEquals(
                "autoreg.service.metadata = \"k=v,oops\" (system property -Dautoreg.service.metadata): "
                        + "expected key=value pairs separated by commas, such as k=v,k2=v2",
                error(Map.of(), props("autoreg.service.metadata", "k=v,oops"), Map.of(), null));
    }

    @Test
    void aWildcardAddressIsRejected() {
        assertEquals(
                "autoreg.service.address = \"0.0.0.0\" (agent argument service.address): "
                        + "expected the address consumers should connect to, not a wildcard",
                error(Map.of("service.address", "0.0.0.0"), props(), Map.of(), null));
    }

    /** What a consumer cannot connect to: a URL, a port, an out-of-range quad; each said for what it is. */
    @Test
    void anAddressThatIsNoHostOrIpIsRejectedSayingWhy() {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(
                "http://10.0.0.5",
                "expected a host name or an IP address such as 10.0.0.5, without a scheme or a path");
        refused.put(
                "10.0.0.5/24", "expected a host name or an IP address such as 10.0.0.5, without a scheme or a path");
        refused.put(
                "10.0.0.5:8080",
                "expected a host name or an IP address such as 10.0.0.5, without a port: the port registered is the"
                        + " listener's");
        refused.put(
                "orders.internal:8080",
                "expected a host name or an IP address such as 10.0.0.5, without a port: the port registered is the"
                        + " listener's");
        refused.put(
                "10.0.0.300",
                "expected a host name or an IP address such as 10.0.0.5: 10.0.0.300 is not an IPv4 address");
        refused.put("1:2:3", "expected a host name or an IP address such as 10.0.0.5: not an IPv6 address");
        refused.put(
                "[10.0.0.5]",
                "expected a host name or an IP address such as 10.0.0.5: not an IPv6 address in brackets");
        refused.put(
                "my host",
                "expected a host name or an IP address such as 10.0.0.5 (a host name: labels of 1-63 letters, digits,"
                        + " '-' or '_', separated by dots)");
        refused.forEach((address, why) -> assertEquals(
                "autoreg.service.address = \"" + address + "\" (agent argument service.address): " + why,
                error(Map.of("service.address", address), props(), Map.of(), null),
                address));
        for (String address : List.of(
                "10.0.0.5",
                "orders.internal",
                "orders-1.prod.example.com.",
                "web_1",
                "fe80::1%eth0",
                "2001:db8::8a2e:370:7334",
                "::ffff:10.0.0.5",
                "[2001:db8::1]",
                "1:2:3:4:5:6:7:8")) {
            assertEquals(
                    address,
                    SettingsLoader.load(Map.of("service.address", address), props(), Map.of(), null)
                            .service()
                            .address(),
                    address);
        }
    }

    @Test
    void aUsernameNeedsAnApiKey() {
        String message = error(Map.of("registry.auth.username", "ops"), props(), Map.of(), null);
        assertTrue(
                message.matches(
                        "autoreg\\.registry\\.auth\\.api-key = null \\(built-in default "
                                + "io/autoreg/core/internal/settings/autoreg-defaults\\.conf:\\d+\\): required when autoreg\\.registry\\.auth\\.username is set"),
                message);
    }

    @Test
    void aMissingTlsFileIsRejected() {
        assertEquals(
                "autoreg.registry.tls.ca-file = \"/nonexistent/ca.pem\" (agent argument registry.tls.ca-file): "
                        + "expected a readable PEM file",
                error(Map.of("registry.tls.ca-file", "/nonexistent/ca.pem"), props(), Map.of(), null));
    }

    @Test
    void backoffBoundsAreChecked() {
        assertEquals(
                "autoreg.retry.max-backoff = \"100ms\" (agent argument retry.max-backoff): "
                        + "expected a duration such as 30s, between 250ms and 10m",
                error(Map.of("retry.max-backoff", "100ms"), props(), Map.of(), null));
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertEquals(
                "autoreg.config = \"/nonexistent/autoreg.conf\" (system property -Dautoreg.config): "
                        + "expected a readable HOCON file",
                error(Map.of(), props("autoreg.config", "/nonexistent/autoreg.conf"), Map.of(), null));
    }

    @Test
    void aSyntaxErrorInTheFileNamesFileAndLine() throws IOException {
        Path f = file("autoreg {\n  heartbeat {\n    timeout = [\n}\n");
        String message = error(Map.of(), props(), Map.of(), f);
        assertTrue(message.contains(f.getFileName().toString()) && message.contains(": 4"), message);
    }
}
