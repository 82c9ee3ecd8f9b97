package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.etcd.EtcdRegistry;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.testing.EtcdServer;
import io.autoreg.testing.Http;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The etcd backend against a real etcd; consumers read it with a prefix range over the JSON gateway. */
class EtcdBackendIT extends BackendContract implements BesideTheSidecar.AcrossNeighbourRestarts {

    private static final EtcdServer ETCD = new EtcdServer();
    private final Http http = new Http();

    @BeforeAll
    static void startEtcd() throws Exception {
        ETCD.start();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        ETCD.close();
    }

    @Override
    protected String type() {
        return "etcd";
    }

    @Override
    protected String url() {
        return ETCD.url();
    }

    @Override
    protected Duration expiryBound() {
        // The lease is three renewal intervals (3 s here); etcd checks expiry every 500 ms.
        return Duration.ofSeconds(8);
    }

    /** A consumer's prefix range over {@code /autoreg/services/<name>/}, then the entry with the instance's id. */
    @Override
    protected Seen lookup(ServiceInstance instance) throws Exception {
        String prefix = EtcdRegistry.DEFAULT_PREFIX + "/" + instance.name() + "/";
        for (JsonNode value : EtcdServer.valuesUnder(http, url(), prefix)) {
            if (instance.id().equals(value.path("id").asText())) {
                return new Seen(
                        value.path("address").asText(), value.path("port").asInt(), true);
            }
        }
        return null;
    }

    @Override
    protected void restartEngineLosingState() throws Exception {
        ETCD.restartEmpty();
    }

    /**
     * Settings from the agent's arguments and etcd over plain HTTP: the agent's own light client speaks to it, not the
     * core's OkHttp and Jackson (~800 classes the host JVM would load and verify); the agent tests here run through it.
     */
    @Test
    void theAgentSpeaksToEtcdThroughItsLightClient() throws Exception {
        try (SampleApp app = SampleApp.underAgent(
                type(),
                url(),
                "agent-orders",
                "agent-light-etcd",
                Duration.ofSeconds(3),
                List.of("-Dautoreg.log.level=debug"))) {
            ServiceInstance instance = agentInstance("agent-light-etcd", app.awaitPort());
            await(Duration.ofSeconds(15), "agent-light-etcd listed\n" + app.output(), () -> isUp(instance));
            String output = app.output();
            assertTrue(output.contains("registry client for etcd: the agent's light client"), output);
            assertFalse(output.contains("WARNING"), output);
        }
    }

    @Test
    void theSampleAppUnderTheAgentKilledWithSigkillExpires() throws Exception {
        try (SampleApp app = SampleApp.underAgent(type(), url(), "agent-orders", "agent-kill-etcd")) {
            ServiceInstance instance = agentInstance("agent-kill-etcd", app.awaitPort());
            await(Duration.ofSeconds(15), "agent-kill-etcd listed\n" + app.output(), () -> isUp(instance));

            app.kill();

            Duration expired = await(expiryBound(), "agent-kill-etcd expired", () -> isGone(instance));
            report("etcd + agent: expired " + expired.toMillis() + " ms after kill -9 (timeout 3000 ms)");
        }
    }
}
