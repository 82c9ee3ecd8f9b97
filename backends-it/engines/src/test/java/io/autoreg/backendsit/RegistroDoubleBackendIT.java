package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.testing.Await;
import io.autoreg.testing.FreePorts;
import io.autoreg.testing.LoggedChild;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registro backend, the agent and the sidecar against the rules of the real Registro
 * (mscansian/registro), played by {@link RegistroDouble}, and read back as Registro's own Go client
 * reads it ({@link RegistroGoClient}: an instance is available when its status is {@code up}).
 *
 * <p>The rules that shaped the backend: a new instance is {@code starting} until its first renewal; an
 * id is taken until the entry is removed, 10 minutes after its last renewal, whatever its status
 * (POST 409); a DELETE leaves it {@code out-of-service} and no renewal lifts that (403). The
 * Registro-specific tests below use the product's default heartbeat timeout (30 s: a renewal every
 * ~24 s), where a registration that waited for its first scheduled renewal stayed invisible for that long.
 * The double's clock stands still unless a test moves it, which is how the 90 s rule is tested.
 */
class RegistroDoubleBackendIT extends BackendContract implements BesideTheSidecar.AcrossNeighbourRestarts {

    /** How soon a registration, a restart with the same id included, must make the instance {@code up}. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    private static final Duration DEFAULT_TIMEOUT = null;

    private static RegistroDouble registro;
    private static RegistroGoClient consumer;

    @BeforeAll
    static void startRegistro() {
        registro = RegistroDouble.start();
        consumer = new RegistroGoClient(registro.clientUrl());
    }

    @AfterAll
    static void stopRegistro() {
        if (registro != null) {
            registro.close();
        }
    }

    @Override
    protected String type() {
        return "registro";
    }

    @Override
    protected String url() {
        return registro.url();
    }

    @Override
    protected Duration expiryBound() {
        // the test moves the double's clock past the 90 s (afterTheRegistrantWasKilled)
        return Duration.ofSeconds(3);
    }

    /**
     * As a Registro consumer finds an endpoint: among the app's instances, one with this address and port,
     * up if any of them is (a restart may leave the previous incarnation's entry beside the new one).
     */
    @Override
    protected Seen lookup(ServiceInstance instance) throws Exception {
        List<RegistroGoClient.Instance> entries;
        try {
            entries = consumer.updateApplication(instance.name());
        } catch (RegistroGoClient.UnexpectedCodeError noApp) {
            if (noApp.code == 404) {
                return null;
            }
            throw noApp;
        }
        Seen seen = null;
        for (RegistroGoClient.Instance entry : entries) {
            if (entry.ip().equals(instance.address()) && entry.port() == instance.port()) {
                if (entry.status().equals(RegistroDouble.UP)) {
                    return new Seen(entry.ip(), (int) entry.port(), true);
                }
                seen = new Seen(entry.ip(), (int) entry.port(), false);
            }
        }
        return seen;
    }

    @Override
    protected void restartEngineLosingState() {
        registro.restartEmpty();
    }

    @Override
    protected void afterTheRegistrantWasKilled() {
        registro.advance(Duration.ofSeconds(91));
    }

    // ---- the backend through the lifecycle, in this JVM -------------------------------------------------

    private static HeartbeatSettings defaultHeartbeat() {
        return new HeartbeatSettings(Duration.ofSeconds(30), null, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    @Test
    void anInstanceIsAvailableAsSoonAsItIsRegistered() throws Exception {
        ServiceInstance orders = instance(18091);
        try (RegistryBackend backend = newBackend();
                RegistrationManager manager = new RegistrationManager(backend, defaultHeartbeat())) {
            Registration registration = manager.register(orders);
            assertTrue(
                    registration.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)),
                    registration.toString());

            assertTrue(
                    isAvailable(orders.name(), orders.port()),
                    "up without waiting for the first scheduled renewal (~24 s): " + entries(orders.name()));
        }
    }

    @Test
    void aCleanRestartWithTheSameIdIsAvailableAgainAtOnce() throws Exception {
        ServiceInstance orders = instance(18092);
        try (RegistryBackend backend = newBackend()) {
            for (int incarnation = 1; incarnation <= 3; incarnation++) {
                try (RegistrationManager manager = new RegistrationManager(backend, defaultHeartbeat())) {
                    long start = System.nanoTime();
                    Registration registration = manager.register(orders);
                    assertTrue(
                            registration.awaitState(RegistrationState.REGISTERED, AT_ONCE),
                            "incarnation " + incarnation + ": " + registration + "; " + entries(orders.name()));
                    assertTrue(
                            isAvailable(orders.name(), orders.port()),
                            entries(orders.name()).toString());
                    report("registro double: incarnation " + incarnation + " available "
                            + (System.nanoTime() - start) / 1_000_000 + " ms after register()");
                }
                // closing the manager deregistered it: out-of-service, which Registro never lets a renewal lift
                assertTrue(
                        !isAvailable(orders.name(), orders.port()),
                        entries(orders.name()).toString());
            }
            assertEquals(
                    List.of(
                            RegistroDouble.OUT_OF_SERVICE,
                            RegistroDouble.OUT_OF_SERVICE,
                            RegistroDouble.OUT_OF_SERVICE),
                    statusesOf(orders.name(), orders.id(), orders.id() + "_2", orders.id() + "_3"));
        }
    }

    @Test
    void aCrashedPredecessorAtTheSameAddressIsTakenOverEvenWhenDown() throws Exception {
        ServiceInstance orders = instance(18093);
        try (RegistryBackend backend = newBackend()) {
            RegistrationManager crashed = new RegistrationManager(backend, defaultHeartbeat());
            Registration first = crashed.register(orders);
            assertTrue(first.awaitState(RegistrationState.REGISTERED, AT_ONCE), first.toString());
            first.abandon(); // stops renewing without a DELETE, as a killed process does
            crashed.close();
            registro.advance(Duration.ofSeconds(91));
            assertEquals(List.of(RegistroDouble.DOWN), statusesOf(orders.name(), orders.id()));

            try (RegistrationManager restarted = new RegistrationManager(backend, defaultHeartbeat())) {
                Registration second = restarted.register(orders);
                assertTrue(second.awaitState(RegistrationState.REGISTERED, AT_ONCE), second.toString());
                assertEquals(List.of(RegistroDouble.UP), statusesOf(orders.name(), orders.id()));
                assertTrue(
                        registro.instance(orders.name(), orders.id() + "_2").isEmpty(),
                        "its own entry renewed, no second one: " + entries(orders.name()));
            }
        }
    }

    @Test
    void aPredecessorAtAnotherPortIsLeftToTurnDownBesideTheNewEntry() throws Exception {
        ServiceInstance before = instance(18094);
        ServiceInstance after = new ServiceInstance(
                before.id(), before.name(), before.address(), 18095, before.tags(), before.metadata());
        try (RegistryBackend backend = newBackend()) {
            RegistrationManager crashed = new RegistrationManager(backend, defaultHeartbeat());
            Registration first = crashed.register(before);
            assertTrue(first.awaitState(RegistrationState.REGISTERED, AT_ONCE), first.toString());
            first.abandon();
            crashed.close();

            // renewing every second here, so that the new entry's renewals show after the clock moved
            try (RegistrationManager restarted = new RegistrationManager(backend, heartbeat())) {
                Registration second = restarted.register(after);
                assertTrue(second.awaitState(RegistrationState.REGISTERED, AT_ONCE), second.toString());
                assertTrue(
                        isAvailable(after.name(), 18095), entries(after.name()).toString());
                assertEquals(
                        List.of(RegistroDouble.UP, RegistroDouble.UP),
                        statusesOf(before.name(), before.id(), before.id() + "_2"),
                        "the old entry is neither renewed nor deleted: it may be another live process");

                registro.advance(Duration.ofSeconds(91));
                assertTrue(!isAvailable(before.name(), 18094), "the old port turned down: " + entries(before.name()));
                await(
                        Duration.ofSeconds(5),
                        "the new entry up again at its next renewal",
                        () -> isAvailable(after.name(), 18095));
                assertEquals(
                        RegistroDouble.DOWN,
                        statusesOf(before.name(), before.id()).get(0));
            }
        }
    }

    // ---- the agent: the sample app as a child JVM under -javaagent ---------------------------------------

    private static final String AGENT_APP = "agent-orders";

    @Test
    void theAgentsAppIsAvailableAtOnceAndAgainAtOnceAfterACleanRestartWithTheSameId() throws Exception {
        String id = "agent-restarts-registro";
        Instant launched = Instant.now();
        try (SampleApp first = SampleApp.underAgent(type(), url(), AGENT_APP, id, DEFAULT_TIMEOUT)) {
            int firstPort = first.awaitPort();
            awaitAvailable(AGENT_APP, firstPort, "first start", first, launched);

            first.terminate();
            assertTrue(!isAvailable(AGENT_APP, firstPort), "removed on SIGTERM: " + entries(AGENT_APP));
            assertEquals(List.of(RegistroDouble.OUT_OF_SERVICE), statusesOf(AGENT_APP, id));
        }
        Instant restart = Instant.now();
        try (SampleApp second = SampleApp.underAgent(type(), url(), AGENT_APP, id, DEFAULT_TIMEOUT)) {
            int secondPort = second.awaitPort();
            awaitAvailable(AGENT_APP, secondPort, "restart with the same id", second, restart);
            assertEquals(0, refusedRenewalsSince(restart, id), "no renewal of the out-of-service entry");
            second.terminate();
        }
    }

    @Test
    void theAgentsKilledAppStaysUpFor90SecondsThenTurnsDownAndItsRestartIsAvailableAtOnce() throws Exception {
        String id = "agent-killed-registro";
        Instant launched = Instant.now();
        try (SampleApp first = SampleApp.underAgent(type(), url(), AGENT_APP, id, DEFAULT_TIMEOUT)) {
            int port = first.awaitPort();
            awaitAvailable(AGENT_APP, port, "start", first, launched);

            first.kill();
            assertDownOnlyAfter90Seconds(AGENT_APP, port);
        }
        Instant restart = Instant.now();
        try (SampleApp second = SampleApp.underAgent(type(), url(), AGENT_APP, id, DEFAULT_TIMEOUT)) {
            int port = second.awaitPort();
            awaitAvailable(AGENT_APP, port, "restart after kill -9", second, restart);
            second.terminate();
        }
    }

    // ---- the sidecar: its jar as a child JVM, watching a plain neighbour ---------------------------------

    private static final String SIDECAR_APP = "sidecar-orders";

    @Test
    void theSidecarsNeighbourIsAvailableAtOnceAndAgainAtOnceAfterTheSidecarRestartsWithTheSameId() throws Exception {
        String id = "sidecar-restarts-registro";
        int port = FreePorts.next();
        try (SampleApp neighbour = SampleApp.plain(port)) {
            neighbour.awaitPort();
            Instant launched = Instant.now();
            try (Sidecar first = Sidecar.watching(type(), url(), SIDECAR_APP, id, port, DEFAULT_TIMEOUT)) {
                awaitAvailable(SIDECAR_APP, port, "first start", first, launched);
                first.terminate();
                assertTrue(!isAvailable(SIDECAR_APP, port), "removed on SIGTERM: " + entries(SIDECAR_APP));
                assertEquals(List.of(RegistroDouble.OUT_OF_SERVICE), statusesOf(SIDECAR_APP, id));
            }
            Instant restart = Instant.now();
            try (Sidecar second = Sidecar.watching(type(), url(), SIDECAR_APP, id, port, DEFAULT_TIMEOUT)) {
                awaitAvailable(SIDECAR_APP, port, "sidecar restart with the same id", second, restart);
                assertEquals(0, refusedRenewalsSince(restart, id), "no renewal of the out-of-service entry");
                second.terminate();
            }
        }
    }

    @Test
    void aKilledSidecarLeavesItsNeighbourUpFor90SecondsThenDownAndItsRestartIsAvailableAtOnce() throws Exception {
        String id = "sidecar-killed-registro";
        int port = FreePorts.next();
        try (SampleApp neighbour = SampleApp.plain(port)) {
            neighbour.awaitPort();
            Instant launched = Instant.now();
            try (Sidecar first = Sidecar.watching(type(), url(), SIDECAR_APP, id, port, DEFAULT_TIMEOUT)) {
                awaitAvailable(SIDECAR_APP, port, "start", first, launched);
                first.kill();
                assertDownOnlyAfter90Seconds(SIDECAR_APP, port);
            }
            Instant restart = Instant.now();
            try (Sidecar second = Sidecar.watching(type(), url(), SIDECAR_APP, id, port, DEFAULT_TIMEOUT)) {
                // same address and port: the down entry is taken over by renewing it
                awaitAvailable(SIDECAR_APP, port, "sidecar restart after kill -9", second, restart);
                assertEquals(List.of(RegistroDouble.UP), statusesOf(SIDECAR_APP, id));
                second.terminate();
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /**
     * Waits for the child's instance to be available to Registro's consumers, and checks that it was
     * {@code up} within {@link #AT_ONCE} of the child's first call to the registry: registered and renewed
     * in one go, with no retry, no refused renewal and no wait for a scheduled heartbeat. The time from the
     * launch is reported, not asserted: it is mostly the child JVM's own start (seconds on a loaded machine).
     */
    private void awaitAvailable(String app, int port, String when, LoggedChild child, Instant launched) {
        Duration fromLaunch = Await.until(
                Duration.ofSeconds(30),
                app + " at port " + port + " available (" + when + "); " + entriesOrFailure(app) + "\n"
                        + child.output(),
                () -> isAvailable(app, port));
        String consumersRead = "/registro/1.0/apps/" + app;
        List<RegistroDouble.Exchange> calls = registro.exchanges().stream()
                .filter(e -> !e.at().isBefore(launched))
                .filter(e -> !(e.method().equals("GET") && e.path().equals(consumersRead))) // this test polling
                .toList();
        RegistroDouble.Exchange upBy = calls.stream()
                .filter(e -> e.method().equals("PUT") && e.status() == 204)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no renewal since " + when + ": " + calls));
        Duration registering = Duration.between(calls.get(0).at(), upBy.at());
        report("registro double: " + app + " up " + registering.toMillis() + " ms after its first call to the "
                + "registry; available " + fromLaunch.toMillis() + " ms after the " + when + " was launched");
        assertTrue(
                registering.compareTo(AT_ONCE) <= 0,
                app + " up only " + registering.toMillis() + " ms after its first call (" + when + "), not within "
                        + AT_ONCE.toMillis() + " ms: " + calls);
    }

    /** The killed child's entry: up while its last renewal is no more than 90 s ago, then down. */
    private void assertDownOnlyAfter90Seconds(String app, int port) throws IOException {
        RegistroGoClient.Instance entry = entryAt(app, port);
        assertEquals(RegistroDouble.UP, entry.status(), entries(app).toString());
        registro.advanceTo(entry.lastRenewal() + 90);
        assertEquals(RegistroDouble.UP, entryAt(app, port).status(), "90 s after the last renewal");
        registro.advanceTo(entry.lastRenewal() + 91);
        assertEquals(RegistroDouble.DOWN, entryAt(app, port).status(), "91 s after the last renewal");
        assertTrue(!isAvailable(app, port));
    }

    private RegistroGoClient.Instance entryAt(String app, int port) throws IOException {
        List<RegistroGoClient.Instance> found = consumer.updateApplication(app).stream()
                .filter(i -> i.port() == port)
                .toList();
        assertEquals(1, found.size(), "one entry at port " + port + ": " + found);
        return found.get(0);
    }

    private boolean isAvailable(String app, int port) {
        try {
            return consumer.availableInstances(app).stream()
                    .anyMatch(i -> i.ip().equals("127.0.0.1") && i.port() == port);
        } catch (IOException noAppYet) {
            return false;
        }
    }

    private List<RegistroGoClient.Instance> entries(String app) {
        try {
            return consumer.updateApplication(app);
        } catch (IOException e) {
            return List.of();
        }
    }

    private String entriesOrFailure(String app) {
        try {
            return "entries " + consumer.updateApplication(app);
        } catch (IOException e) {
            return "entries unreadable: " + e.getMessage();
        }
    }

    /** The statuses of the given ids, in that order, as Registro's consumers read them. */
    private List<String> statusesOf(String app, String... ids) throws IOException {
        Map<String, String> byId = new java.util.HashMap<>();
        for (RegistroGoClient.Instance i : consumer.updateApplication(app)) {
            byId.put(i.id(), i.status());
        }
        return java.util.Arrays.stream(ids)
                .map(i -> byId.getOrDefault(i, "absent"))
                .toList();
    }

    private static long refusedRenewalsSince(Instant since, String id) {
        return registro.exchanges().stream()
                .filter(e -> !e.at().isBefore(since)
                        && e.method().equals("PUT")
                        && e.status() == 403
                        && e.path().contains("/" + id))
                .count();
    }
}
