package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's command line: help, version, one-line start failures, and AUTOREG_SERVER_* variables in their place. */
class RegistryMainTest {
    @TempDir
    Path dir;

    private record Run(RegistryMain.Launch launch, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run launch(Map<String, String> env, Properties sys, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RegistryMain.Launch launch = RegistryMain.launch(
                args,
                env,
                sys,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(launch, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run launch(Map<String, String> env, String... args) {
        return launch(env, new Properties(), args);
    }

    @Test
    void helpAndVersionPrintAndExit0() {
        Run help = launch(Map.of(), "--help");
        assertNull(help.launch().server());
        assertEquals(0, help.launch().exitCode());
        assertTrue(
                help.out().startsWith("usage: java -jar autoreg-registry.jar")
                        && help.out().contains("AUTOREG_SERVER_PORT"),
                help.out());
        Run version = launch(Map.of(), "--port", "1", "-V");
        assertEquals(0, version.launch().exitCode());
        assertTrue(version.out().startsWith("autoreg-registry "), version.out());
    }

    @Test
    void aBadFlagIsOneLineAndExit2() {
        Run unknown = launch(Map.of(), "--prot", "8870");
        assertEquals(2, unknown.launch().exitCode());
        assertEquals(
                List.of("autoreg-registry: unknown option --prot (did you mean --port?) (see --help)"),
                unknown.errLines());
        // alone, or last: still named as unknown, not as an option missing its value
        assertEquals(
                List.of("autoreg-registry: unknown option --bogus (see --help)"),
                launch(Map.of(), "--bogus").errLines());
        assertEquals(
                List.of("autoreg-registry: unknown option --dta (did you mean --data?) (see --help)"),
                launch(Map.of(), "--dta=/tmp/x").errLines());
        assertEquals(
                List.of("autoreg-registry: missing value for --data (see --help)"),
                launch(Map.of(), "--data").errLines());
        Run port = launch(Map.of(), "--port", "http");
        assertEquals(List.of("autoreg-registry: --port must be 0..65535, was http (see --help)"), port.errLines());
        assertEquals(2, launch(Map.of(), "--data").launch().exitCode());
    }

    @Test
    void aPortInUseIsOneLineAndExit1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Run run = launch(
                    Map.of(),
                    "--port",
                    String.valueOf(taken.getLocalPort()),
                    "--data",
                    dir.resolve("d").toString());
            assertNull(run.launch().server());
            assertEquals(1, run.launch().exitCode());
            assertEquals(1, run.errLines().size(), run.err());
            assertTrue(
                    run.err().startsWith("autoreg-registry: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                            && run.err().contains("--port or AUTOREG_SERVER_PORT"),
                    run.err());
        }
    }

    @Test
    void anAddressThatIsNotThisMachinesIsNamedWithTheFlagToChooseAnother() {
        // a documentation address (RFC 5737), on no interface here: the bind fails before anything is sent
        Run run = launch(
                Map.of(),
                "--bind",
                "192.0.2.1",
                "--port",
                "0",
                "--data",
                dir.resolve("d").toString());
        assertEquals(1, run.launch().exitCode());
        assertEquals(
                List.of("autoreg-registry: cannot listen on 192.0.2.1:0: Cannot assign requested address (192.0.2.1 is"
                        + " not an address of this machine: choose one with --bind or AUTOREG_SERVER_BIND (0.0.0.0 for"
                        + " all of them))"),
                run.errLines());
    }

    @Test
    void aDataDirectoryThatCannotBeUsedIsOneLineAndExit1() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Run run = launch(Map.of(), "--port", "0", "--data", file.toString());
        assertEquals(1, run.launch().exitCode());
        assertEquals(
                List.of("autoreg-registry: data directory " + file.toAbsolutePath()
                        + " is not a directory (--data or AUTOREG_SERVER_DATA_DIR)"),
                run.errLines());
        Run below =
                launch(Map.of(), "--port", "0", "--data", file.resolve("below").toString());
        assertEquals(1, below.launch().exitCode());
        assertEquals(1, below.errLines().size(), below.err());
        assertTrue(
                below.err()
                        .startsWith("autoreg-registry: data directory "
                                + file.resolve("below").toAbsolutePath() + " is not usable: "),
                below.err());
        Run missingParent = launch(Map.of(), "--port", "0", "--data", "/proc/autoreg-data");
        assertEquals(1, missingParent.launch().exitCode());
        assertEquals(
                List.of("autoreg-registry: data directory /proc/autoreg-data is not usable: /proc/autoreg-data: no such"
                        + " file or directory"),
                missingParent.errLines());
    }

    @Test
    void serverSettingsComeFromAutoregServerVariablesBelowFlagsAndSystemPropertiesAboveTheFile() throws IOException {
        Path config = Files.writeString(
                dir.resolve("server.conf"),
                "autoreg.server { quotas { service = 7, session = 8 }, events.retention = 2d }\n");
        // a real system property: the server's settings read them through lightbend/config (cached, hence the
        // invalidations)
        System.setProperty("autoreg.server.quotas.session", "9");
        com.typesafe.config.ConfigFactory.invalidateCaches();
        Run run;
        try {
            run = launch(
                    Map.of(
                            "AUTOREG_SERVER_QUOTAS_SERVICE",
                            "5",
                            "AUTOREG_SERVER_QUOTAS_SESSION",
                            "6",
                            "AUTOREG_SERVER_DATA_DIR",
                            dir.resolve("from-env").toString(),
                            "AUTOREG_SERVER_PORT",
                            "1",
                            "AUTOREG_SERVER_CONFIG",
                            config.toString()),
                    System.getProperties(),
                    "--port",
                    "0");
        } finally {
            System.clearProperty("autoreg.server.quotas.session");
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
        RegistryServer server = run.launch().server();
        assertNotNull(server, run.err());
        try {
            assertEquals(5, server.settings().quotas().services(), "the environment beats the file");
            assertEquals(9, server.settings().quotas().sessions(), "a system property beats the environment");
            assertEquals(
                    java.time.Duration.ofDays(2), server.settings().eventRetention(), "the file beats the defaults");
            assertTrue(server.port() > 1, "a flag beats the environment");
            assertEquals(dir.resolve("from-env"), server.settings().dataDir());
            assertTrue(
                    run.out().startsWith("autoreg-registry started bind=127.0.0.1 port=" + server.port()), run.out());
        } finally {
            server.close();
        }
    }

    @Test
    void aBadVariableNamesItselfAndExits2() {
        Run run = launch(Map.of("AUTOREG_SERVER_PORT", "eighty"));
        assertEquals(2, run.launch().exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(
                run.err()
                        .startsWith(
                                "autoreg-registry: bad setting: autoreg.server.port = \"eighty\" (environment variable AUTOREG_SERVER_PORT)"),
                run.err());
    }

    /** A misspelt variable would leave its default in force without a word: it is warned of, with the one meant. */
    @Test
    void aMisspeltVariableIsWarnedOfWithTheOneMeantAndTheRegistryStarts(@TempDir Path dir) throws IOException {
        Run run = launch(
                Map.of(
                        "AUTOREG_SERVER_PROT",
                        "9000",
                        "AUTOREG_SERVER_DATA_DIR",
                        dir.resolve("data").toString(),
                        "AUTOREG_SERVER_CONFIG",
                        Files.writeString(dir.resolve("empty.conf"), "").toString(),
                        "AUTOREG_REGISTRY_URLL",
                        "not the registry's to judge"),
                "--port",
                "0",
                "--bind",
                "127.0.0.1");
        RegistryServer server = run.launch().server();
        try {
            assertEquals(
                    List.of("autoreg-registry: warning: environment variable AUTOREG_SERVER_PROT is not a setting of"
                            + " autoreg's and is ignored (did you mean AUTOREG_SERVER_PORT?)"),
                    run.errLines(),
                    run.err());
            assertEquals(dir.resolve("data"), server.settings().dataDir(), "the variables that are settings are read");
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** A misspelt key would leave its default in force without a word: it is refused, with the key meant. */
    @Test
    void anUnknownKeyInTheConfigFileIsRefusedWithTheKeyMeant() throws IOException {
        Path file = Files.writeString(
                dir.resolve("typo.conf"),
                "autoreg.server {\n  tokens { \"any-token-name\" = \"payments\" }\n  quotaz.service = 5\n}\n");
        Run typo = launch(Map.of(), "--port", "0", "--data", dir.resolve("d").toString(), "--config", file.toString());
        assertEquals(2, typo.launch().exitCode());
        assertEquals(
                List.of("autoreg-registry: bad setting: autoreg.server.quotaz.service = \"5\" (" + file
                        + ":3): unknown key" + " (did you mean autoreg.server.quotas.service?)"),
                typo.errLines());
    }

    @Test
    void aBrokenOrMisshapedConfigFileIsOneLineAndExit2WithNoSecretShown() throws IOException {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put(
                "autoreg.server { port = \n",
                "bad setting: FILE: 2: Expecting a value but got wrong token: end of file");
        files.put(
                "autoreg.server.port = ${NOPE}\n",
                "bad setting: FILE: 1: Could not resolve substitution to a value: ${NOPE}");
        // one user without the list's brackets, and one without its tenant: the API key not shown
        String usersExpected = "expected a list of objects with username, api-key and tenant, such as [ { username ="
                + " alice, api-key = \"…\", tenant = \"7777\" } ]";
        files.put(
                "autoreg.server.users = { username = alice, api-key = s3cret, tenant = \"7777\" }\n",
                "bad setting: autoreg.server.users = \"{\"api-key\":\"██\",\"tenant\":\"7777\",\"username\":\"alice\"}\" (FILE:1): "
                        + usersExpected);
        files.put(
                "autoreg.server.users = [ { username = alice, api-key = s3cret } ]\n",
                "bad setting: autoreg.server.users = \"{\"api-key\":\"██\",\"username\":\"alice\"}\" (FILE:1): "
                        + usersExpected + " (this one has no tenant)");
        files.put(
                "autoreg.server.tokens = [ s3cret ]\n",
                "bad setting: autoreg.server.tokens = \"██\" (FILE:1): expected an object of static tokens and the tenant each"
                        + " opens, such as { \"my-token\" = \"7777\" } (the value is not shown: it holds tokens)");
        for (Map.Entry<String, String> entry : files.entrySet()) {
            Path file = Files.writeString(dir.resolve("broken.conf"), entry.getKey());
            Run run =
                    launch(Map.of(), "--port", "0", "--data", dir.resolve("d").toString(), "--config", file.toString());
            assertEquals(2, run.launch().exitCode(), run.err());
            assertEquals(
                    List.of("autoreg-registry: " + entry.getValue().replace("FILE", file.toString())), run.errLines());
            assertFalse(run.err().contains("s3cret"), run.err());
        }
    }

    @Test
    void theLogFormatComesFromTheFlagAboveItsVariableAndABadOneNamesItsOrigin() {
        Run flag = launch(
                Map.of("AUTOREG_SERVER_LOG_FORMAT", "text"),
                "--port",
                "0",
                "--data",
                dir.resolve("d").toString(),
                "--log-format",
                "json");
        RegistryServer server = flag.launch().server();
        assertNotNull(server, flag.err());
        try {
            assertEquals(
                    io.autoreg.registry.log.ActivityLog.Format.JSON,
                    server.settings().logFormat());
        } finally {
            server.close();
        }
        Run badFlag = launch(Map.of(), "--log-format", "xml");
        assertEquals(2, badFlag.launch().exitCode());
        assertEquals(1, badFlag.errLines().size(), badFlag.err());
        assertTrue(
                badFlag.err()
                        .startsWith(
                                "autoreg-registry: bad setting: autoreg.server.log-format = \"xml\" (command line option --log-format)"),
                badFlag.err());
        assertTrue(badFlag.err().contains("text or json"), badFlag.err());
        Run badVariable = launch(Map.of("AUTOREG_SERVER_LOG_FORMAT", "yaml"));
        assertEquals(2, badVariable.launch().exitCode());
        assertTrue(badVariable.err().contains("(environment variable AUTOREG_SERVER_LOG_FORMAT)"), badVariable.err());
    }
}
