package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
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
 * {@code autoreg.registry.type=zookeeper} from the agent jar alone (the core's Curator dependency is
 * optional, so the agent shades it in): the sample app under the agent, against a real ZooKeeper
 * (Curator's TestingServer on 127.0.0.1), appears as the node {@code <basePath>/<name>/<id>} with the port
 * it really listens on, and the node is gone once a SIGTERM has made the app exit. ZooKeeper's SLF4J
 * logging is bound inside the jar, so nothing about SLF4J or a missing class reaches the app's stderr.
 * ZooKeeper's and Curator's threads are named {@code autoreg-*} like the agent's own. Curator and its friends
 * come from the nested libraries jar: its private copy in the temp directory is
 * gone once the app has exited.
 */
class ZookeeperRegistrationIT {

    private static final String BASE_PATH = "/agent-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static TestingServer zookeeper;
    private static CuratorFramework reader;

    @BeforeAll
    static void startZookeeper() throws Exception {
        InstanceSpec spec = new InstanceSpec(
                dataDir.toFile(),
                RegistryFixture.freePort(),
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
    }

    @AfterAll
    static void stopZookeeper() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @TempDir
    Path appTempDir;

    @Test
    void theAppIsAZookeeperNodeWithItsRealPortUntilSigterm() throws Exception {
        String name = "zk-orders";
        try (ChildJvm app = ChildJvm.builder()
                .agent(Artifacts.agentJar(), null)
                .systemProperty("java.io.tmpdir", appTempDir.toString())
                .systemProperty("autoreg.registry.type", "zookeeper")
                .systemProperty("autoreg.registry.url", zookeeper.getConnectString())
                .systemProperty("autoreg.registry.zookeeper.base-path", BASE_PATH)
                .systemProperty("autoreg.service.name", name)
                .systemProperty("autoreg.service.address", "127.0.0.1")
                .jar(Artifacts.sampleAppJar(), "--port", "0")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(15));
            String node = BASE_PATH + "/" + name + "/" + name + "-127.0.0.1-" + port;
            Await.until(Duration.ofSeconds(20), () -> exists(node), node + " created\n" + app.output());

            try (var copies = Files.list(appTempDir)) {
                assertEquals(
                        1,
                        copies.filter(p -> p.getFileName().toString().startsWith("autoreg-agent-libraries-"))
                                .count(),
                        "the nested libraries are used from one private copy");
            }

            for (String thread : threadNames(app)) {
                if (thread.contains("SendThread")
                        || thread.contains("EventThread")
                        || thread.contains("Curator")
                        || thread.contains("zookeeper")) {
                    assertTrue(
                            thread.startsWith("autoreg-"), "ZooKeeper/Curator thread not named autoreg-*: " + thread);
                }
            }

            JsonNode instance = JSON.readTree(reader.getData().forPath(node));
            assertEquals(port, instance.path("port").asInt(), "the port the app listens on: " + instance);
            assertEquals("127.0.0.1", instance.path("address").asText(), instance.toString());
            assertEquals(name, instance.path("name").asText(), instance.toString());

            app.terminate();
            assertTrue(app.awaitExit(Duration.ofSeconds(15)), "exits after SIGTERM\n" + app.output());
            assertFalse(exists(node), node + " left behind after the app exited\n" + app.output());
            try (var left = Files.list(appTempDir)) {
                assertEquals(
                        List.of(),
                        left.map(p -> p.getFileName().toString()).toList(),
                        "the libraries' copy is removed at exit");
            }

            app.awaitOutputDrained();
            String stderr = String.join("\n", app.stderrLines());
            assertFalse(stderr.contains("SLF4J"), "SLF4J wrote to the app's stderr:\n" + stderr);
            assertFalse(stderr.contains("NoClassDefFoundError"), stderr);
            assertFalse(stderr.contains("agent off"), stderr);
        }
    }

    /** The names of the app's Java threads (the agent's among them). */
    private static List<String> threadNames(ChildJvm app) {
        List<String> names = app.threadNames();
        assertTrue(names.contains("autoreg-agent"), String.valueOf(names));
        return names;
    }

    private static boolean exists(String path) {
        try {
            return reader.checkExists().forPath(path) != null;
        } catch (Exception notReachableYet) {
            return false;
        }
    }
}
