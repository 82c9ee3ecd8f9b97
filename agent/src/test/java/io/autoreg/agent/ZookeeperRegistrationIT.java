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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * come from the nested libraries jar, copied once per agent build into an owner-only directory of the temp
 * directory and reused by the next JVM.
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
        try (ChildJvm app = startApp(name)) {
            int port = app.awaitPort(Duration.ofSeconds(15));
            String node = BASE_PATH + "/" + name + "/" + name + "-127.0.0.1-" + port;
            Await.until(Duration.ofSeconds(20), () -> exists(node), node + " created\n" + app.output());

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

            app.awaitOutputDrained();
            String stderr = String.join("\n", app.stderrLines());
            assertFalse(stderr.contains("SLF4J"), "SLF4J wrote to the app's stderr:\n" + stderr);
            assertFalse(stderr.contains("NoClassDefFoundError"), stderr);
            assertFalse(stderr.contains("agent off"), stderr);
            // a boot class path append at run time makes HotSpot warn here and turn the host's CDS archive off
            assertFalse(stderr.contains("VM warning"), stderr);
        }
    }

    /**
     * The nested libraries are read from one owner-only copy per agent build in the temp directory, which the next
     * JVM reuses: a JVM killed hard (the OOM killer, a container stopped at once) leaves nothing of its own behind.
     */
    @Test
    void theLibrariesCopyIsSharedByTheUsersJvmsAndNoneIsLeftPerJvm() throws Exception {
        Path copy;
        Object inode;
        try (ChildJvm killed = startApp("zk-killed")) {
            killed.awaitPort(Duration.ofSeconds(15));
            Path directory = appTempDir.resolve("autoreg-agent-" + System.getProperty("user.name"));
            Await.until(
                    Duration.ofSeconds(20),
                    () -> librariesIn(directory).size() == 1,
                    "the copy written\n" + killed.output());
            copy = librariesIn(directory).get(0);
            inode = Files.getAttribute(copy, "unix:ino");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
            killed.kill();
            assertTrue(killed.awaitExit(Duration.ofSeconds(15)), "exits after SIGKILL");
        }

        String name = "zk-restarted";
        try (ChildJvm restarted = startApp(name)) {
            int port = restarted.awaitPort(Duration.ofSeconds(15));
            String node = BASE_PATH + "/" + name + "/" + name + "-127.0.0.1-" + port;
            Await.until(Duration.ofSeconds(20), () -> exists(node), node + " created\n" + restarted.output());
            assertEquals(List.of(copy), librariesIn(copy.getParent()), "no second copy");
            assertEquals(inode, Files.getAttribute(copy, "unix:ino"), "the same file, not rewritten");
            restarted.terminate();
            assertTrue(restarted.awaitExit(Duration.ofSeconds(15)), "exits after SIGTERM");
        }
        try (var left = Files.list(appTempDir)) {
            assertEquals(
                    List.of(copy.getParent().getFileName().toString()),
                    left.map(p -> p.getFileName().toString()).toList(),
                    "only the shared directory in the temp directory");
        }
    }

    private ChildJvm startApp(String name) {
        return ChildJvm.builder()
                .agent(Artifacts.agentJar(), null)
                .systemProperty("java.io.tmpdir", appTempDir.toString())
                .systemProperty("autoreg.registry.type", "zookeeper")
                .systemProperty("autoreg.registry.url", zookeeper.getConnectString())
                .systemProperty("autoreg.registry.zookeeper.base-path", BASE_PATH)
                .systemProperty("autoreg.service.name", name)
                .systemProperty("autoreg.service.address", "127.0.0.1")
                .jar(Artifacts.sampleAppJar(), "--port", "0")
                .start();
    }

    private static List<Path> librariesIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith("libraries-")
                            && p.getFileName().toString().endsWith(".jar"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
