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
import io.autoreg.testing.ChildProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every backend must show against its real engine, driven by the core lifecycle: the instance
 * appears with its address and port as a third-party consumer reads it, stays while renewed, is back
 * within one renewal after the engine lost its state, disappears on deregistration, and expires when
 * its process is killed. Subclasses start one engine per class and say how a consumer looks it up.
 */
abstract class BackendContract {

    /** What a third-party consumer sees of an instance. */
    record Seen(String address, int port, boolean up) {}

    private static final Duration APPEAR_BOUND = Duration.ofSeconds(15);

    protected abstract String type();

    /** The registry URL as {@code autoreg.registry.url} would give it. */
    protected abstract String url();

    /** The heartbeat timeout the tests register with. */
    protected Duration timeout() {
        return Duration.ofSeconds(3);
    }

    /**
     * Slack on top of one renewal interval after a restart: the calls themselves, the retry backoff
     * (max 1 s), polling; engines with sessions add their reconnection.
     */
    protected Duration restartSlack() {
        return Duration.ofSeconds(3);
    }

    /** How long the engine may take to drop the instance of a killed process. */
    protected abstract Duration expiryBound();

    /** The class path of the killed registrant's JVM: the whole test class path unless narrowed. */
    protected List<String> registrantClassPath() {
        // Surefire/failsafe may hand the JVM a manifest-only jar; the real entries are in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(classPath.split(File.pathSeparator));
    }

    /** The instance as a consumer sees it, or null when the engine does not list it. */
    protected abstract Seen lookup(ServiceInstance instance) throws Exception;

    /** Stops the engine and starts it again on the same address, without the state it had. */
    protected abstract void restartEngineLosingState() throws Exception;

    /**
     * After the registrant was killed: an engine whose expiry runs on a clock the test moves (the Registro
     * double) moves it past its expiry here; the others expire in real time, within {@link #expiryBound()}.
     */
    protected void afterTheRegistrantWasKilled() throws Exception {}

    // The engine of the test class, for the UnderTheAgent and BesideTheSidecar contracts it may also claim.

    public String registryType() {
        return type();
    }

    public String registryUrl() {
        return url();
    }

    public Seen seenByConsumer(ServiceInstance instance) throws Exception {
        return lookup(instance);
    }

    protected final HeartbeatSettings heartbeat() {
        return new HeartbeatSettings(timeout(), null, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    protected final RegistryBackend newBackend() {
        return newBackend(Map.of());
    }

    /** With options as {@code autoreg.registry.<type>.*} would give them. */
    protected final RegistryBackend newBackend(Map<String, String> options) {
        return TestBackends.create(TestBackends.settings(type(), url(), options));
    }

    /** One instance per test, told apart by its port. */
    protected final ServiceInstance instance(int port) {
        return new ServiceInstance(
                "orders-" + type() + "-" + port, "orders", "127.0.0.1", port, List.of("it"), Map.of("it", "true"));
    }

    /** The last failed lookup (the engine down, or an answer a consumer cannot read), for failure messages. */
    private volatile Exception lastLookupFailure;

    protected final boolean isUp(ServiceInstance instance) {
        try {
            Seen seen = lookup(instance);
            return seen != null && seen.up();
        } catch (Exception engineDown) {
            lastLookupFailure = engineDown;
            return false;
        }
    }

    protected final boolean isGone(ServiceInstance instance) {
        try {
            Seen seen = lookup(instance);
            return seen == null || !seen.up();
        } catch (Exception engineDown) {
            lastLookupFailure = engineDown;
            return false;
        }
    }

    /** Await.until, naming the last lookup failure when the condition never held. */
    protected final Duration await(Duration bound, String what, java.util.function.BooleanSupplier condition) {
        lastLookupFailure = null;
        try {
            return Await.until(bound, what, condition);
        } catch (AssertionError notMet) {
            Exception cause = lastLookupFailure;
            throw cause == null
                    ? notMet
                    : new AssertionError(notMet.getMessage() + "; last lookup failure: " + cause, cause);
        }
    }

    protected static void report(String figure) {
        System.out.println("[backends-it] " + figure);
    }

    @Test
    void appearsWithItsAddressAndPortAndStaysPastThreeTimeouts() throws Exception {
        ServiceInstance orders = instance(18081);
        try (RegistryBackend backend = newBackend();
                RegistrationManager manager = new RegistrationManager(backend, heartbeat())) {
            Registration registration = manager.register(orders);
            Duration appeared = await(APPEAR_BOUND, orders.id() + " listed by " + type(), () -> isUp(orders));
            report(type() + ": visible " + appeared.toMillis() + " ms after register()");
            Seen seen = lookup(orders);
            assertEquals("127.0.0.1", seen.address());
            assertEquals(18081, seen.port());

            Await.holdsFor(timeout().multipliedBy(3).plusSeconds(1), orders.id() + " still listed", () -> isUp(orders));
            assertEquals(RegistrationState.REGISTERED, registration.state());
        }
    }

    @Test
    void isBackWithinOneRenewalAfterTheEngineLostItsState() throws Exception {
        ServiceInstance orders = instance(18082);
        try (RegistryBackend backend = newBackend();
                RegistrationManager manager = new RegistrationManager(backend, heartbeat())) {
            manager.register(orders);
            await(APPEAR_BOUND, orders.id() + " listed", () -> isUp(orders));

            long restartStart = System.nanoTime();
            restartEngineLosingState();
            long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;

            Duration oneRenewal = heartbeat().effectiveInterval().plus(restartSlack());
            Duration back = await(oneRenewal, orders.id() + " registered again after the restart", () -> isUp(orders));
            report(type() + ": restart took " + restartMillis + " ms; listed again " + back.toMillis()
                    + " ms after it was up (renewal interval "
                    + heartbeat().effectiveInterval().toMillis() + " ms)");
        }
    }

    @Test
    void deregisterRemovesItAtOnce() throws Exception {
        ServiceInstance orders = instance(18083);
        try (RegistryBackend backend = newBackend();
                RegistrationManager manager = new RegistrationManager(backend, heartbeat())) {
            Registration registration = manager.register(orders);
            await(APPEAR_BOUND, orders.id() + " listed", () -> isUp(orders));

            registration.deregister(Duration.ofSeconds(5));

            assertEquals(RegistrationState.DEREGISTERED, registration.state());
            Duration gone = await(Duration.ofSeconds(3), orders.id() + " removed", () -> isGone(orders));
            report(type() + ": gone " + gone.toMillis() + " ms after deregister()");
        }
    }

    @Test
    void aKilledProcessLeavesAnInstanceThatExpires() throws Exception {
        ServiceInstance orders = instance(18084);
        Path log = Files.createTempFile("registrant-" + type() + "-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-cp",
                String.join(File.pathSeparator, registrantClassPath()),
                Registrant.class.getName(),
                type(),
                url(),
                orders.name(),
                orders.id(),
                orders.address(),
                String.valueOf(orders.port()),
                String.valueOf(timeout().toMillis()));
        try (ChildProcess registrant = ChildProcess.start("registrant", command, log)) {
            try {
                await(APPEAR_BOUND.plusSeconds(10), orders.id() + " listed", () -> isUp(orders));
            } catch (AssertionError notListed) {
                throw new AssertionError(
                        notListed.getMessage() + "; registrant log:\n" + registrant.logTail(), notListed);
            }

            registrant.kill();
            assertTrue(!registrant.isAlive());
            afterTheRegistrantWasKilled();

            Duration expired = await(expiryBound(), orders.id() + " expired after kill -9", () -> isGone(orders));
            report(type() + ": expired " + expired.toMillis() + " ms after kill -9 (timeout "
                    + timeout().toMillis() + " ms)");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
