package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.etcd.EtcdRegistry;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.testing.Await;
import io.autoreg.testing.EtcdCluster;
import io.autoreg.testing.EtcdServer;
import io.autoreg.testing.Http;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code autoreg.registry.url} listing the members of a real three-member etcd cluster, as {@code etcdctl
 * --endpoints} does: the member in use is stopped, and the registration lives on through the others — kept alive,
 * and removed at the end — instead of expiring while two members of three still serve.
 */
class EtcdClusterIT {

    private static final EtcdCluster CLUSTER = new EtcdCluster();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** The member consumers read through: never stopped here. */
    private static final int READER = 2;

    private final Http http = new Http();

    @BeforeAll
    static void startCluster() throws Exception {
        CLUSTER.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        CLUSTER.close();
    }

    private static String allMembers() {
        return String.join(",", CLUSTER.urls());
    }

    /** A consumer's prefix range through {@link #READER}: the instance's port, or -1 when it is not there. */
    private int listedPort(String name, String id) throws Exception {
        String prefix = EtcdRegistry.DEFAULT_PREFIX + "/" + name + "/";
        for (JsonNode value : EtcdServer.valuesUnder(http, CLUSTER.url(READER), prefix)) {
            if (id.equals(value.path("id").asText())) {
                return value.path("port").asInt();
            }
        }
        return -1;
    }

    private boolean listed(String name, String id) {
        try {
            return listedPort(name, id) > 0;
        } catch (Exception readerDown) {
            return false;
        }
    }

    @Test
    void theLifecycleKeepsItsLeaseAliveThroughTheOtherMembersWhenTheFirstStops() throws Exception {
        ServiceInstance orders =
                new ServiceInstance("orders-cluster-1", "orders", "127.0.0.1", 18091, List.of(), Map.of());
        HeartbeatSettings heartbeat =
                new HeartbeatSettings(TIMEOUT, null, Duration.ofMillis(100), Duration.ofSeconds(1));
        try (RegistryBackend backend = TestBackends.create(TestBackends.settings("etcd", allMembers(), Map.of()));
                RegistrationManager manager = new RegistrationManager(backend, heartbeat)) {
            Registration registration = manager.register(orders);
            Await.until(Duration.ofSeconds(15), "orders-cluster-1 listed", () -> listed("orders", orders.id()));

            CLUSTER.stop(0);
            try {
                // the lease is three renewal intervals: without the other members it expired within one TTL
                Await.holdsFor(
                        TIMEOUT.multipliedBy(3).plusSeconds(1),
                        "orders-cluster-1 still listed with member 0 stopped",
                        () -> listed("orders", orders.id()));
                assertEquals(RegistrationState.REGISTERED, registration.state());

                registration.deregister(Duration.ofSeconds(5));
                assertEquals(RegistrationState.DEREGISTERED, registration.state());
                Await.until(Duration.ofSeconds(3), "orders-cluster-1 removed", () -> !listed("orders", orders.id()));
            } finally {
                CLUSTER.restart(0);
            }
        }
    }

    @Test
    void theAgentGivenTheMembersInBracketsStaysListedWhenItsMemberStopsAndIsRemovedOnSigterm() throws Exception {
        try (SampleApp app = SampleApp.underAgent(
                "etcd",
                "[" + allMembers() + "]",
                "agent-orders",
                "agent-cluster",
                TIMEOUT,
                List.of("-Dautoreg.log.level=debug"))) {
            int port = app.awaitPort();
            Await.until(
                    Duration.ofSeconds(15),
                    "agent-cluster listed\n" + app.output(),
                    () -> listed("agent-orders", "agent-cluster"));
            assertEquals(port, listedPort("agent-orders", "agent-cluster"));
            assertTrue(
                    app.output().contains("registry client for etcd: the agent's light client"),
                    "a member list is the light client's too\n" + app.output());

            CLUSTER.stop(0);
            try {
                Await.holdsFor(
                        TIMEOUT.multipliedBy(3).plusSeconds(1),
                        "agent-cluster still listed with member 0 stopped\n" + app.output(),
                        () -> listed("agent-orders", "agent-cluster"));
                String output = app.output();
                assertTrue(
                        output.contains("etcd: " + CLUSTER.url(0) + "/ did not answer")
                                && output.contains("now calling " + CLUSTER.url(1) + "/"),
                        "one line names the switch\n" + output);

                app.terminate();
                assertEquals(
                        -1,
                        listedPort("agent-orders", "agent-cluster"),
                        "removed before the JVM exited\n" + app.output());
            } finally {
                CLUSTER.restart(0);
            }
        }
    }
}
