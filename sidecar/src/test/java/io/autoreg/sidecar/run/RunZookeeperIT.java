package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.testing.Await;
import io.autoreg.testing.Child;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoreg.registry.type=zookeeper} from the shaded jar alone (the core's Curator dependency is
 * optional, so the sidecar must ship it): beside the real sample app, against a real ZooKeeper (Curator's
 * TestingServer on 127.0.0.1), the neighbour's node {@code <basePath>/<name>/<id>} appears with the
 * neighbour's port, and is gone once a SIGTERM has made the sidecar exit.
 */
class RunZookeeperIT {
    private static final String BASE_PATH = "/sidecar-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path logs;

    private static TestingServer zookeeper;
    private static CuratorFramework reader;
    private static Child app;
    private static int appPort;

    @BeforeAll
    static void startZookeeperAndApp() throws Exception {
        InstanceSpec spec = new InstanceSpec(
                Files.createTempDirectory("autoreg-sidecar-zk-").toFile(),
                FreePorts.next(),
                -1,
                -1,
                true,
                1,
                -1,
                -1,
                Map.of("clientPortAddress", "127.0.0.1"),
                "127.0.0.1");
        zookeeper = new TestingServer(spec, true);
        reader = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(200));
        reader.start();
        assertTrue(reader.blockUntilConnected(10, TimeUnit.SECONDS), "test reader connected to ZooKeeper");
        appPort = FreePorts.next();
        app = Child.javaMain(
                Jars.sampleApp(),
                "io.autoreg.sample.SampleApp",
                List.of("--port", String.valueOf(appPort), "--name", "orders"),
                logs,
                "app");
        app.awaitStdout("listening on port (\\d+)", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (app != null) {
            app.close();
        }
        if (reader != null) {
            reader.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void theNeighbourIsAZookeeperNodeWhileWatchedAndGoneAfterSigterm() throws Exception {
        String node = BASE_PATH + "/orders/orders-127.0.0.1-" + appPort;
        try (Child sidecar = Child.java(
                Jars.sidecar(),
                List.of(
                        "run",
                        "--set",
                        "registry.type=zookeeper",
                        "--registry-url",
                        zookeeper.getConnectString(),
                        "--set",
                        "registry.zookeeper.base-path=" + BASE_PATH,
                        "--address",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(appPort),
                        "--check",
                        "http",
                        "--path",
                        "/health",
                        "--name",
                        "orders",
                        "--interval",
                        "500ms",
                        "--heartbeat-timeout",
                        "10s"),
                Map.of(),
                logs,
                "sidecar")) {
            Await.until(
                    Duration.ofSeconds(20),
                    node + " created (sidecar stderr: " + sidecar.stderr() + ")",
                    () -> sidecar.process().isAlive() && exists(node));
            JsonNode instance = JSON.readTree(reader.getData().forPath(node));
            assertEquals(
                    appPort, instance.path("port").asInt(), "the neighbour's port, not the sidecar's: " + instance);
            assertEquals("127.0.0.1", instance.path("address").asText());
            assertEquals("orders", instance.path("name").asText());

            sidecar.terminate();
            sidecar.awaitExit(Duration.ofSeconds(15));
            assertFalse(exists(node), node + " left behind after the sidecar exited");
            assertTrue(app.process().isAlive(), "the neighbour itself is left alone");
            // ZooKeeper logs through SLF4J: the shaded jar carries a provider, so SLF4J has nothing to complain about
            String stderr = sidecar.stderr();
            assertFalse(stderr.contains("SLF4J"), "SLF4J warned on stderr:\n" + stderr);
            assertFalse(stderr.contains("NoClassDefFoundError"), stderr);
            assertTrue(sidecar.stdout().contains("as orders-127.0.0.1-" + appPort), sidecar.stdout());
        }
    }

    private static boolean exists(String path) {
        try {
            return reader.checkExists().forPath(path) != null;
        } catch (Exception notReachableYet) {
            return false;
        }
    }
}
