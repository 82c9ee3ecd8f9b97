package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.testing.FreePorts;
import java.io.File;
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
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;

/**
 * The zookeeper backend against a real ZooKeeper (Curator's TestingServer on 127.0.0.1); consumers
 * read it with Curator's own x-discovery {@code ServiceDiscovery}, typed as Spring Cloud Zookeeper
 * types it (payload {@code ZookeeperInstance}, the class from Spring Cloud's jar) or, for nodes without
 * payload, as any other Curator consumer.
 */
class ZookeeperBackendIT extends BackendContract {

    /** 500 ms ticks let the server grant 1..10 s sessions, so a 3 s session expires within the test. */
    private static final int TICK_MILLIS = 500;

    private static final int PORT = FreePorts.next();
    private static TestingServer zookeeper;
    private static CuratorFramework consumerClient;
    private static ServiceDiscovery<ZookeeperInstance> consumer;
    private static ServiceDiscovery<JsonNode> genericConsumer;

    @BeforeAll
    static void startZookeeper() throws Exception {
        zookeeper = newServer();
        startConsumers();
    }

    /** Consumers connect afresh after a restart, as new readers would; their old session died with the state. */
    private static void startConsumers() throws Exception {
        consumerClient = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(200));
        consumerClient.start();
        consumerClient.blockUntilConnected(10, TimeUnit.SECONDS);
        consumer = ServiceDiscoveryBuilder.builder(ZookeeperInstance.class)
                .client(consumerClient)
                .basePath("/services")
                .serializer(new JsonInstanceSerializer<>(ZookeeperInstance.class))
                .watchInstances(false)
                .build();
        consumer.start();
        genericConsumer = ServiceDiscoveryBuilder.builder(JsonNode.class)
                .client(consumerClient)
                .basePath("/services")
                .serializer(new JsonInstanceSerializer<>(JsonNode.class))
                .watchInstances(false)
                .build();
        genericConsumer.start();
    }

    @AfterAll
    static void stopZookeeper() throws Exception {
        stopConsumers();
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private static void stopConsumers() throws Exception {
        if (genericConsumer != null) {
            genericConsumer.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (consumerClient != null) {
            consumerClient.close();
        }
    }

    private static TestingServer newServer() throws Exception {
        File dataDir = Files.createTempDirectory("autoreg-zk-").toFile();
        InstanceSpec spec = new InstanceSpec(
                dataDir, PORT, -1, -1, true, 1, TICK_MILLIS, -1, Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
        return new TestingServer(spec, true);
    }

    @Override
    protected String type() {
        return "zookeeper";
    }

    @Override
    protected String url() {
        return "127.0.0.1:" + PORT;
    }

    @Override
    protected Duration expiryBound() {
        // The session timeout (3 s) plus the server's session-expiry tick.
        return Duration.ofSeconds(8);
    }

    /** The client first reconnects (up to 1 s of ZooKeeper's random delay), learns its session expired, opens a new one. */
    @Override
    protected Duration restartSlack() {
        return Duration.ofSeconds(5);
    }

    /**
     * The killed registrant runs with the jars the agent would need for this backend and nothing else:
     * Curator framework and client (which shades its Guava), the ZooKeeper client and jute, SLF4J's API,
     * and the core's own dependencies. None of ZooKeeper's Netty, tcnative, logback or commons-io.
     */
    @Override
    protected List<String> registrantClassPath() {
        List<String> needed = List.of(
                "test-classes",
                "autoreg-core",
                "classes",
                "okhttp-",
                "okio-",
                "kotlin-stdlib",
                "jackson-",
                "config-",
                "curator-framework-",
                "curator-client-",
                "zookeeper-3",
                "zookeeper-jute-",
                "slf4j-api-",
                "netty-handler-",
                "netty-common-",
                "netty-buffer-",
                "netty-transport-4",
                "netty-resolver-",
                "netty-codec-",
                "netty-transport-native-unix-common-");
        List<String> narrowed = super.registrantClassPath().stream()
                .filter(entry ->
                        needed.stream().anyMatch(Path.of(entry).getFileName().toString()::startsWith))
                .toList();
        return narrowed;
    }

    @Override
    protected Seen lookup(ServiceInstance instance) throws Exception {
        org.apache.curator.x.discovery.ServiceInstance<ZookeeperInstance> found =
                consumer.queryForInstance(instance.name(), instance.id());
        return found == null ? null : new Seen(found.getAddress(), found.getPort(), true);
    }

    /** A new server on the same port with an empty data dir: the backend's session is expired. */
    @Override
    protected void restartEngineLosingState() throws Exception {
        stopConsumers();
        zookeeper.close();
        zookeeper = newServer();
        startConsumers();
    }

    @Test
    void springCloudZookeeperConsumersReadTheMetadataFromThePayload() throws Exception {
        ServiceInstance orders = instance(18085);
        try (var backend = newBackend();
                var manager = new RegistrationManager(backend, heartbeat())) {
            manager.register(orders);
            await(Duration.ofSeconds(10), orders.id() + " listed", () -> isUp(orders));

            org.apache.curator.x.discovery.ServiceInstance<ZookeeperInstance> found =
                    consumer.queryForInstance("orders", orders.id());
            assertEquals("orders", found.getName());
            assertEquals(ServiceType.DYNAMIC, found.getServiceType());
            assertEquals("orders", found.getPayload().getName());
            assertEquals(Map.of("it", "true", "tags", "it"), found.getPayload().getMetadata());
            assertEquals(
                    1,
                    consumer.queryForInstances("orders").stream()
                            .filter(i -> i.getId().equals(orders.id()))
                            .count());
        }
    }

    @Test
    void withoutPayloadAnyCuratorConsumerReadsTheInstance() throws Exception {
        ServiceInstance orders = instance(18086);
        try (var backend = newBackend(Map.of("payload", "none"));
                var manager = new RegistrationManager(backend, heartbeat())) {
            manager.register(orders);

            await(
                    Duration.ofSeconds(10),
                    orders.id() + " read by a Curator consumer with its own payload type",
                    () -> queryQuietly(orders) != null);
            org.apache.curator.x.discovery.ServiceInstance<JsonNode> found = queryQuietly(orders);
            assertEquals("127.0.0.1", found.getAddress());
            assertEquals(18086, found.getPort());
            assertNull(found.getPayload());
        }
    }

    private static org.apache.curator.x.discovery.ServiceInstance<JsonNode> queryQuietly(ServiceInstance instance) {
        try {
            return genericConsumer.queryForInstance(instance.name(), instance.id());
        } catch (Exception notYet) {
            return null;
        }
    }
}
