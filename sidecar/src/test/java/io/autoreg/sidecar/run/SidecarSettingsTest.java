package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarSettingsTest {
    @TempDir
    Path dir;

    private AutoregSettings load(Map<String, String> flags, Map<String, String> env, String file) throws IOException {
        Path conf = file == null ? null : Files.writeString(dir.resolve("s.conf"), file);
        return SettingsLoader.load(
                flags,
                new Properties(),
                env,
                conf,
                SidecarSettings.DEFAULTS_RESOURCE,
                SidecarSettingsTest.class.getClassLoader());
    }

    private SidecarSettings sidecar(Map<String, String> flags, Map<String, String> env, String file)
            throws IOException {
        return SidecarSettings.from(load(flags, env, file));
    }

    /** The settings error for these flags alone. */
    private SettingsException refusedFlags(Map<String, String> flags) {
        return assertThrows(SettingsException.class, () -> sidecar(flags, Map.of(), null));
    }

    /** The settings error for this config file alone. */
    private SettingsException refusedFile(String file) {
        return assertThrows(SettingsException.class, () -> sidecar(Map.of(), Map.of(), file));
    }

    @Test
    void theDefaultsWatchNothingAndServeNoPort() throws IOException {
        SidecarSettings settings = sidecar(Map.of(), Map.of(), null);
        assertEquals(List.of(), settings.checks());
        assertEquals(-1, settings.httpPort());
        assertEquals(Duration.ZERO, settings.drain());
    }

    @Test
    void flagsDescribeOneNeighbourWithTheDocumentedDefaults() throws IOException {
        CheckSettings check = sidecar(
                        Map.of("sidecar.check.port", "8081", "sidecar.check.name", "orders"), Map.of(), null)
                .checks()
                .get(0);
        assertEquals(
                new CheckSettings(
                        "orders",
                        null,
                        CheckType.HTTP,
                        8081,
                        "127.0.0.1",
                        "/health",
                        "",
                        List.of(),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        1,
                        3,
                        List.of(),
                        Map.of()),
                check);
        assertEquals("http://127.0.0.1:8081/health", check.target());
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile() throws IOException {
        String file = "autoreg.sidecar.check { port = 1111, interval = 7s, type = tcp, name = fromfile }";
        Map<String, String> env = Map.of("AUTOREG_SIDECAR_CHECK_PORT", "2222", "AUTOREG_SIDECAR_CHECK_INTERVAL", "3s");
        CheckSettings check = sidecar(Map.of("sidecar.check.port", "3333"), env, file)
                .checks()
                .get(0);
        assertEquals(3333, check.port());
        assertEquals(Duration.ofSeconds(3), check.interval());
        assertEquals(CheckType.TCP, check.type());
        assertEquals("fromfile", check.name());
    }

    @Test
    void listEntriesInheritProbeSettingsButNotIdentity() throws IOException {
        SidecarSettings settings = sidecar(
                Map.of(),
                Map.of(),
                String.join(
                        "\n",
                        "autoreg.service.name = shop",
                        "autoreg.sidecar.check { interval = 1s, fall = 5, tags = [not-inherited] }",
                        "autoreg.sidecar.checks = [ { port = 8081 }, { name = cache, port = 6379, type = tcp, fall = 1 } ]"));
        assertEquals(2, settings.checks().size());
        CheckSettings first = settings.checks().get(0);
        assertEquals("shop", first.name(), "autoreg.service.name is the default name");
        assertEquals(Duration.ofSeconds(1), first.interval());
        assertEquals(5, first.fall());
        assertEquals(List.of(), first.tags());
        assertEquals(1, settings.checks().get(1).fall());
    }

    /** A command given once in autoreg.sidecar.check is every exec entry's default; a tcp entry just does not use it. */
    @Test
    void anInheritedCommandIsNoMistakeForACheckThatRunsNone() throws IOException {
        SidecarSettings settings = sidecar(
                Map.of(),
                Map.of(),
                String.join(
                        "\n",
                        "autoreg.sidecar.check { command = [\"pg_isready\", \"-q\"] }",
                        "autoreg.sidecar.checks = [ { port = 5432, type = exec }, { port = 8080, type = tcp } ]"));
        assertEquals(List.of("pg_isready", "-q"), settings.checks().get(0).command());
        assertEquals(CheckType.TCP, settings.checks().get(1).type());
    }

    @Test
    void badChecksFailWithTheKeyAndWhatIsAllowed() {
        SettingsException noPort = refusedFile("autoreg.sidecar.checks = [ { name = x } ]");
        assertTrue(noPort.getMessage().startsWith("autoreg.sidecar.checks.0.port"), noPort.getMessage());

        SettingsException unknown = refusedFile("autoreg.sidecar.checks = [ { port = 1, intervall = 2s } ]");
        assertTrue(
                unknown.getMessage().contains("autoreg.sidecar.checks.0.intervall")
                        && unknown.getMessage().contains("unknown key"),
                unknown.getMessage());
        SettingsException typo = refusedFile("autoreg.sidecar.checks = [ { port = 1, typ = tcp } ]");
        assertTrue(
                typo.getMessage()
                        .matches("autoreg\\.sidecar\\.checks\\.0\\.typ = \"tcp\" \\(.*\\): unknown key \\(did you"
                                + " mean type\\?\\); a check takes command, .*"),
                "the value once quoted, and the key meant: " + typo.getMessage());
        // one check written without the list's brackets: said as such, not as an unknown key inside it
        SettingsException object = refusedFile("autoreg.sidecar.checks = { name = a, port = 8081 }");
        assertTrue(
                object.getMessage().startsWith("autoreg.sidecar.checks = ")
                        && object.getMessage()
                                .endsWith(": expected a list, written in brackets [ ... ], not an object"),
                object.getMessage());

        SettingsException exec = refusedFlags(Map.of("sidecar.check.port", "1", "sidecar.check.type", "exec"));
        assertTrue(exec.getMessage().startsWith("autoreg.sidecar.check.command"), exec.getMessage());

        SettingsException type = refusedFlags(Map.of("sidecar.check.port", "1", "sidecar.check.type", "udp"));
        assertTrue(
                type.getMessage().contains("http")
                        && type.getMessage().contains("exec")
                        && type.getMessage().contains("grpcs"),
                type.getMessage());

        SettingsException unitless = refusedFlags(Map.of("sidecar.check.port", "1", "sidecar.check.interval", "5"));
        assertTrue(unitless.getMessage().contains("unit"), unitless.getMessage());

        // a command on a check that runs none: the probe would silently not be the one meant
        SettingsException stray = refusedFlags(
                Map.of("sidecar.check.port", "1", "sidecar.check.type", "tcp", "sidecar.check.command", "true"));
        assertTrue(
                stray.getMessage().startsWith("autoreg.sidecar.check.command = \"true\"")
                        && stray.getMessage().endsWith("no command for a tcp check: only an exec check runs one"),
                stray.getMessage());
        SettingsException strayInList = refusedFile("autoreg.sidecar.checks = [ { port = 1, command = \"true\" } ]");
        assertTrue(
                strayInList.getMessage().startsWith("autoreg.sidecar.checks.0.command")
                        && strayInList.getMessage().contains("no command for a http check"),
                strayInList.getMessage());

        refusedFlags(Map.of("sidecar.check.port", "70000"));
        refusedFlags(Map.of("sidecar.http-port", "-2"));
        refusedFlags(Map.of("sidecar.htp-port", "1"));
    }

    @Test
    void aGrpcCheckAsksItsServiceAndTakesNoPathWhileOtherChecksTakeNoService() throws IOException {
        CheckSettings grpc = sidecar(
                        Map.of(
                                "sidecar.check.port",
                                "50051",
                                "sidecar.check.type",
                                "grpc",
                                "sidecar.check.grpc-service",
                                "orders.v1.Orders"),
                        Map.of(),
                        null)
                .checks()
                .get(0);
        assertEquals(CheckType.GRPC, grpc.type());
        assertEquals("orders.v1.Orders", grpc.grpcService());
        assertEquals("grpc 127.0.0.1:50051 service orders.v1.Orders", grpc.target());
        CheckSettings whole = sidecar(
                        Map.of(),
                        Map.of("AUTOREG_SIDECAR_CHECK_PORT", "50051", "AUTOREG_SIDECAR_CHECK_TYPE", "grpcs"),
                        null)
                .checks()
                .get(0);
        assertEquals("", whole.grpcService(), "the server as a whole, by default");
        assertEquals("grpcs 127.0.0.1:50051", whole.target());

        SettingsException path = refusedFile(
                "autoreg.sidecar.checks = [ { port = 50051, type = grpc, path = /grpc.health.v1.Health/Check } ]");
        assertTrue(
                path.getMessage().startsWith("autoreg.sidecar.checks.0.path")
                        && path.getMessage()
                                .endsWith("no path for a grpc check: it calls"
                                        + " grpc.health.v1.Health/Check; the service it asks about is grpc-service"),
                path.getMessage());
        SettingsException service =
                refusedFlags(Map.of("sidecar.check.port", "8080", "sidecar.check.grpc-service", "orders.v1.Orders"));
        assertTrue(
                service.getMessage().startsWith("autoreg.sidecar.check.grpc-service = \"orders.v1.Orders\"")
                        && service.getMessage()
                                .endsWith(
                                        "no grpc-service for a http check: only a grpc or grpcs check asks a service"),
                service.getMessage());
        // one service in `check` is the default of every entry: an http entry just does not use it
        List<CheckSettings> inherited = sidecar(
                        Map.of(),
                        Map.of(),
                        "autoreg.sidecar.check { type = grpc, grpc-service = a.v1.A }\n"
                                + "autoreg.sidecar.checks = [ { port = 50051 }, { port = 8080, type = http } ]")
                .checks();
        assertEquals("a.v1.A", inherited.get(0).grpcService());
        assertEquals(CheckType.HTTP, inherited.get(1).type());
    }

    @Test
    void twoNeighboursThatWouldShareAnIdAreRejected() throws IOException {
        AutoregSettings settings = load(
                Map.of(),
                Map.of(),
                "autoreg.sidecar.checks = [ { name = a, port = 80 }, { name = a, port = 80, path = /other } ]");
        SidecarSettings sidecar = SidecarSettings.from(settings);
        SettingsException clash = assertThrows(
                SettingsException.class, () -> Neighbour.of(sidecar.checks(), settings.service(), "10.0.0.5"));
        assertTrue(clash.getMessage().contains("a-10.0.0.5-80"), clash.getMessage());
    }

    @Test
    void theRegisteredInstanceCarriesTheNeighboursPortAndAnIdTheRegistryAccepts() throws IOException {
        AutoregSettings settings = load(
                Map.of(
                        "sidecar.check.port",
                        "8081",
                        "sidecar.check.name",
                        "orders",
                        "sidecar.check.metadata",
                        "team=ops",
                        "service.tags",
                        "web"),
                Map.of(),
                null);
        Neighbour neighbour = Neighbour.of(SidecarSettings.from(settings).checks(), settings.service(), "fd00::5")
                .get(0);
        assertEquals("orders-fd00--5-8081", neighbour.instance().id());
        assertEquals(8081, neighbour.instance().port());
        assertEquals("8081", neighbour.instance().metadata().get("port"));
        assertEquals("ops", neighbour.instance().metadata().get("team"));
        assertEquals(List.of("web"), neighbour.instance().tags());
    }
}
