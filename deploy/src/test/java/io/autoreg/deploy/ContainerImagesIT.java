package io.autoreg.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three images, built by {@code scripts/build-images.sh --save}, loaded back from their OCI archives and run
 * under podman the way a user runs them: read-only root file systems, the images' non-root user, host
 * networking on free loopback ports. One registry container serves every test; it runs with static tokens.
 */
class ContainerImagesIT {

    private static final Path ROOT = Manifests.root();
    private static final String VERSION = System.getProperty("autoreg-it.version");
    private static final String TENANT = "it";
    private static final String TOKEN = "it-token-" + UUID.randomUUID();
    private static final int UID = 10001;
    private static final Duration PODMAN = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Podman podman = new Podman(ROOT);
    private static final List<String> containers = new ArrayList<>();
    private static final List<Path> directories = new ArrayList<>();
    private static Path registryData;
    private static Path registryConfig;
    private static int registryPort;

    @BeforeAll
    static void buildLoadAndStartTheRegistry() throws IOException {
        Podman.Result build = Podman.exec(
                List.of(ROOT.resolve("scripts/build-images.sh").toString(), "--skip-jars", "--save"),
                Duration.ofMinutes(20));
        System.out.println(build.output());
        assertEquals(0, build.exit(), build.output());
        for (String name : List.of("registry", "sidecar", "agent")) {
            String image = image(name);
            podman.run(PODMAN, "rmi", "--force", image);
            String loaded = podman.run(
                    PODMAN,
                    "load",
                    "--quiet",
                    "--input",
                    ROOT.resolve("target/images/autoreg-" + name + "-" + VERSION + ".oci.tar")
                            .toString());
            assertTrue(podman.tryRun(PODMAN, "image", "exists", image).exit() == 0, image + " after load: " + loaded);
        }
        registryData = directoryFor(UID);
        registryConfig = directoryFor(UID);
        Files.writeString(
                registryConfig.resolve("registry.conf"),
                "autoreg.server.tokens { \"" + TOKEN + "\" = \"" + TENANT + "\" }\n");
        registryPort = freePort();
        startRegistry();
    }

    @AfterAll
    static void removeContainers() throws IOException {
        for (String container : containers) {
            podman.tryRun(PODMAN, "rm", "--force", "--time", "2", container);
        }
        for (Path directory : directories) {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theRegistryContainerServesAndKeepsItsDataOnTheVolumeAcrossARestart() throws Exception {
        assertEquals(
                204,
                send("PUT", "/configuration/deploy/check", "{\"value\":\"kept\"}")
                        .statusCode());
        assertEquals(
                201,
                send("POST", "/services", "{\"id\":\"durable-1\",\"heartbeat_timeout\":120}")
                        .statusCode());
        assertEquals(
                401,
                HTTP.send(
                                HttpRequest.newBuilder(api("/services"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode(),
                "tokens are configured: no token, no answer");

        String old = containers.get(0);
        podman.run(PODMAN, "stop", "--time", "20", old); // SIGTERM: a clean stop
        podman.run(PODMAN, "rm", old);
        containers.remove(old);
        try (var files = Files.list(registryData)) {
            assertTrue(files.findAny().isPresent(), "the journal is on the mounted volume");
        }
        startRegistry(); // a new container, the same volume

        JsonNode value =
                JSON.readTree(send("GET", "/configuration/deploy/check", null).body());
        assertEquals("kept", value.path("value").asText(), value.toString());
        HttpResponse<String> service = send("GET", "/services/durable-1", null);
        assertEquals(200, service.statusCode(), service.body());
    }

    @Test
    void theSidecarContainerRegistersTheNeighbourBesideIt() throws Exception {
        int neighbourPort = freePort();
        Path app = sampleAppDirectory();
        String neighbour = start(
                "--read-only",
                "-v",
                app + ":/app:ro",
                "--entrypoint",
                "/opt/java/bin/java",
                image("sidecar"),
                "-jar",
                "/app/sample-app.jar",
                "--port",
                String.valueOf(neighbourPort),
                "--name",
                "neighbour");
        int sidecarHttpPort = freePort();
        Path config = directoryFor(UID);
        Files.writeString(config.resolve("sidecar.conf"), """
                autoreg {
                  service.address = "127.0.0.1"
                  heartbeat.timeout = 10s
                  sidecar.http-port = %d
                  sidecar.check { name = neighbour, type = http, port = %d, path = /health, interval = 1s, rise = 1 }
                }
                """.formatted(sidecarHttpPort, neighbourPort));
        String sidecar = start(
                "--read-only",
                "-v",
                config + ":/etc/autoreg:ro",
                "-e",
                "AUTOREG_REGISTRY_URL=" + registryUrl(),
                "-e",
                "AUTOREG_TOKEN=" + TOKEN,
                image("sidecar"));

        JsonNode service = awaitService("neighbour-", Duration.ofSeconds(60), neighbour, sidecar);
        assertEquals(
                String.valueOf(neighbourPort),
                service.path("metadata").path("port").asText(),
                service.toString());
        assertEquals("127.0.0.1", service.path("metadata").path("host").asText(), service.toString());
        // the kubelet's probes of the manifests: the sidecar's own /healthz answers from the image's runtime
        assertEquals(200, status(sidecarHttpPort, "/healthz"), "sidecar /healthz");

        podman.run(PODMAN, "stop", "--time", "20", sidecar); // SIGTERM: the sidecar deregisters
        assertTrue(findService("neighbour-").isEmpty(), "deregistered when the sidecar stopped");
    }

    @Test
    void anAppStartedWithTheAgentJarCopiedOutOfTheAgentImageRegistersItself() throws Exception {
        Path agent = directoryFor(UID);
        podman.run(PODMAN, "run", "--rm", "--read-only", "-v", agent + ":/autoreg", image("agent"));
        Path copied = agent.resolve("autoreg-agent.jar");
        assertArrayEquals(
                Files.readAllBytes(ROOT.resolve("agent/target/autoreg-agent.jar")),
                Files.readAllBytes(copied),
                "the init container's copy is the release jar");

        // an image that knows nothing of autoreg: only JAVA_TOOL_OPTIONS and a volume bring the agent in
        int appPort = freePort();
        String app = start(
                "--read-only",
                "-v",
                agent + ":/autoreg:ro",
                "-v",
                sampleAppDirectory() + ":/app:ro",
                "-e",
                "JAVA_TOOL_OPTIONS=-javaagent:/autoreg/autoreg-agent.jar",
                "-e",
                "AUTOREG_REGISTRY_URL=" + registryUrl(),
                "-e",
                "AUTOREG_TOKEN=" + TOKEN,
                "-e",
                "AUTOREG_SERVICE_NAME=injected",
                "-e",
                "AUTOREG_SERVICE_ADDRESS=127.0.0.1",
                "-e",
                "AUTOREG_HEARTBEAT_TIMEOUT=10s",
                "--entrypoint",
                "/opt/java/bin/java",
                image("registry"),
                "-jar",
                "/app/sample-app.jar",
                "--port",
                String.valueOf(appPort));
        JsonNode service = awaitService("injected-", Duration.ofSeconds(60), app);
        assertEquals(
                String.valueOf(appPort), service.path("metadata").path("port").asText(), service.toString());

        podman.run(PODMAN, "stop", "--time", "20", app); // SIGTERM: the agent deregisters
        assertTrue(findService("injected-").isEmpty(), "deregistered when the app stopped");
    }

    private static void startRegistry() {
        String container = start(
                "--read-only",
                "-v",
                registryData + ":/var/lib/autoreg",
                "-v",
                registryConfig + ":/etc/autoreg:ro",
                image("registry"),
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(registryPort),
                "--data",
                "/var/lib/autoreg",
                "--config",
                "/etc/autoreg/registry.conf");
        await(
                Duration.ofSeconds(60),
                () -> status(registryPort, "/healthz") == 200,
                "the registry answers /healthz",
                container);
    }

    /** podman run -d on the host network; the container is removed after the class. */
    private static String start(String... args) {
        String name = "autoreg-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name, "--network=host"));
        command.addAll(List.of(args));
        containers.add(name);
        podman.run(PODMAN, command.toArray(String[]::new));
        return name;
    }

    private static String image(String name) {
        return "localhost/autoreg-" + name + ":" + VERSION;
    }

    private static String registryUrl() {
        return "http://127.0.0.1:" + registryPort + "/v1.0/" + TENANT;
    }

    private static URI api(String path) {
        return URI.create(registryUrl() + path);
    }

    private static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(path))
                .timeout(Duration.ofSeconds(10))
                .header("X-Auth-Token", TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (ConnectException e) {
            return -1;
        } catch (IOException e) {
            return -2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -3;
        }
    }

    private static Optional<JsonNode> findService(String idPrefix) throws IOException, InterruptedException {
        JsonNode services =
                JSON.readTree(send("GET", "/services?limit=1000", null).body());
        for (JsonNode service : services.path("values")) {
            if (service.path("id").asText().startsWith(idPrefix)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }

    private static JsonNode awaitService(String idPrefix, Duration within, String... watched) {
        JsonNode[] found = new JsonNode[1];
        await(
                within,
                () -> {
                    try {
                        found[0] = findService(idPrefix).orElse(null);
                        return found[0] != null;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                },
                idPrefix + "* registered",
                watched);
        return found[0];
    }

    /** Polls until the condition holds; on time-out fails with the watched containers' logs. */
    private static void await(Duration within, BooleanSupplier condition, String what, String... watched) {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                StringBuilder logs = new StringBuilder();
                for (String container : watched) {
                    logs.append("\n--- ")
                            .append(container)
                            .append(":\n")
                            .append(podman.tryRun(PODMAN, "logs", container).output());
                }
                throw new AssertionError(what + " within " + within + logs);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The sample app's jar in a directory of its own, readable by the containers' user. */
    private static Path sampleAppDirectory() throws IOException {
        Path directory = directoryFor(UID);
        Path jar = directory.resolve("sample-app.jar");
        if (!Files.exists(jar)) {
            Files.copy(ROOT.resolve("sample-app/target/sample-app.jar"), jar);
        }
        return directory;
    }

    /** A fresh directory owned by the containers' non-root user, removed after the class. */
    private static Path directoryFor(int uid) throws IOException {
        Path directory = Files.createTempDirectory(
                "autoreg-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setAttribute(directory, "unix:uid", uid);
        Files.setAttribute(directory, "unix:gid", uid);
        directories.add(directory);
        return directory;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
