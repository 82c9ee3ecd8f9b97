package io.autoreg.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Child;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a registry that requires authentication (a user for the token endpoint and a static token):
 * credentials from flags or {@code AUTOREG_*} variables work, a missing or wrong one prints the 401
 * fault and exits 1, and {@code exec} registers with a token.
 */
class AuthenticatedRegistryIT {
    @TempDir
    static Path dir;

    private static TestRegistry registry;

    @BeforeAll
    static void start() {
        registry = new TestRegistry(
                "7777",
                "autoreg.server { users = [{ username = alice, api-key = s3cret, tenant = \"7777\" }],"
                        + " tokens { ci-token = \"7777\" } }");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static int cli(List<String> err, String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        argv.addAll(List.of("--url", registry.url()));
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = SidecarMain.run(
                argv,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        err.add(errBytes.toString(StandardCharsets.UTF_8));
        return code;
    }

    @Test
    void withoutCredentialsTheFaultIsPrintedAndTheExitCodeIs1() {
        List<String> err = new ArrayList<>();
        assertEquals(1, cli(err, "services", "list"));
        assertTrue(err.get(0).contains("HTTP 401 unauthorizedError"), err.get(0));
        assertEquals(1, cli(err, "services", "list", "--username", "alice", "--api-key", "wrong"));
        assertTrue(err.get(1).contains("401"), err.get(1));
    }

    @Test
    void aStaticTokenOrUsernameAndApiKeyFromFlagsAreAccepted() {
        List<String> err = new ArrayList<>();
        assertEquals(0, cli(err, "services", "list", "--token", "ci-token"), String.join("\n", err));
        assertEquals(0, cli(err, "limits", "--username", "alice", "--api-key", "s3cret"), String.join("\n", err));
    }

    @Test
    void credentialsFromTheEnvironmentAreAccepted() {
        try (Child child = Child.java(
                Jars.sidecar(),
                List.of("configuration", "set", "from_env", "yes"),
                Map.of(
                        "AUTOREG_REGISTRY_URL", registry.url(),
                        "AUTOREG_REGISTRY_AUTH_USERNAME", "alice",
                        "AUTOREG_REGISTRY_AUTH_API_KEY", "s3cret"),
                dir,
                "env-credentials")) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(20)), child.stderr());
        }
        List<String> err = new ArrayList<>();
        assertEquals(0, cli(err, "configuration", "get", "from_env", "--token", "ci-token"), String.join("\n", err));
    }

    @Test
    void execRegistersWithAToken() {
        try (Child child = Child.java(
                Jars.sidecar(),
                List.of(
                        "exec",
                        "--registry-url",
                        registry.url(),
                        "--token",
                        "ci-token",
                        "--id=authed-1",
                        "--abort-on-failure",
                        "--",
                        "sh",
                        "-c",
                        "echo registered-and-running"),
                Map.of(),
                dir,
                "exec-token")) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(20)), child.stderr());
            assertEquals("registered-and-running\n", child.stdout());
        }
        try (Child child = Child.java(
                Jars.sidecar(),
                List.of(
                        "exec",
                        "--registry-url",
                        registry.url(),
                        "--token",
                        "not-a-token",
                        "--id=authed-2",
                        "--abort-on-failure",
                        "--",
                        "sleep",
                        "30"),
                Map.of(),
                dir,
                "exec-bad-token")) {
            assertEquals(
                    100, child.awaitExit(Duration.ofSeconds(20)), "a rejected registration aborts: " + child.stderr());
        }
    }
}
