package io.autoreg.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.testing.FakeBackend;
import io.autoreg.core.testing.ManualClock;
import io.autoreg.core.testing.ManualScheduler;
import io.autoreg.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistrationManagerTest {

    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-10.0.0.5-8080", "orders", "10.0.0.5", 8080, List.of("v1"), Map.of("port", "8080"));
    /** 30 s timeout: the derived interval is 24 s, minus up to 10 % jitter. */
    private static final HeartbeatSettings HEARTBEAT = new HeartbeatSettings(Duration.ofSeconds(30), null);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeBackend backend = new FakeBackend();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private RegistrationManager manager;

    @BeforeEach
    void setUp() {
        Log.sink(new PrintStream(logged, true, StandardCharsets.UTF_8));
        manager = new RegistrationManager(backend, HEARTBEAT, scheduler, clock, new Random(7));
    }

    @AfterEach
    void tearDown() {
        Log.sink(null);
    }

    @Test
    void registerNeverBlocksAndRegistersOnTheScheduler() {
        Registration r = manager.register(ORDERS);
        assertEquals(RegistrationState.PENDING, r.state());
        assertEquals(0, backend.count("register"), "nothing happens on the caller's thread");
        scheduler.runDue();
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertTrue(backend.isLive(ORDERS.id()));
        assertEquals(List.of(r), manager.registrations());
    }

    @Test
    void heartbeatsRunAtTheDerivedIntervalWithUpToTenPercentJitter() {
        manager.register(ORDERS);
        scheduler.runDue();
        Duration first = scheduler.nextDelay();
        assertTrue(
                first.compareTo(Duration.ofMillis(21_600)) >= 0 && first.compareTo(Duration.ofSeconds(24)) <= 0,
                first.toString());
        scheduler.advance(Duration.ofSeconds(24));
        assertEquals(1, backend.count("renew"));
        scheduler.advance(Duration.ofMinutes(4));
        long renewals = backend.count("renew");
        assertTrue(renewals >= 10 && renewals <= 12, "about one per 21.6..24 s over 4m24s: " + renewals);
        assertEquals(1, backend.count("register"));
    }

    /**
     * A registry slow to answer (a creation waits for its journal's fsync) does not push the heartbeats later: the
     * registry's deadline counts from when it applied the request, so the next renewal counts from its sending.
     */
    @Test
    void theNextRenewalIsAnIntervalAfterTheLastRequestWasSentNotAnswered() {
        backend.duringNextRegister(() -> clock.advance(Duration.ofSeconds(5)));
        manager.register(ORDERS);
        scheduler.runDue();
        Duration afterCreation = lastRequestedDelay();
        assertTrue(
                afterCreation.compareTo(Duration.ofMillis(16_600)) >= 0
                        && afterCreation.compareTo(Duration.ofSeconds(19)) <= 0,
                "21.6..24 s less the 5 s the answer took: " + afterCreation);

        backend.nextRenew((Runnable) () -> clock.advance(Duration.ofSeconds(3)));
        scheduler.advance(Duration.ofSeconds(25));
        assertEquals(1, backend.count("renew"));
        Duration afterRenewal = lastRequestedDelay();
        assertTrue(
                afterRenewal.compareTo(Duration.ofMillis(18_600)) >= 0
                        && afterRenewal.compareTo(Duration.ofSeconds(21)) <= 0,
                "21.6..24 s less the 3 s the answer took: " + afterRenewal);
    }

    private Duration lastRequestedDelay() {
        List<Duration> delays = scheduler.requestedDelays();
        return delays.get(delays.size() - 1);
    }

    @Test
    void aFailingRegistryIsRetriedForeverWithCappedJitteredBackoff() {
        backend.failRegister(200, new ConnectException("Connection refused"));
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        assertEquals(RegistrationState.REGISTERING, r.state());
        // 200 failures, each followed by a backoff of at most 10 s: done within 200 × 10 s
        scheduler.advance(Duration.ofSeconds(2000));
        assertEquals(201, backend.count("register"));
        assertEquals(RegistrationState.REGISTERED, r.state());
        List<Duration> delays = scheduler.requestedDelays().subList(1, 201);
        assertTrue(delays.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(10)) <= 0), "capped at 10 s");
        assertTrue(
                delays.get(0).toMillis() <= 250
                        && delays.get(1).toMillis() <= 500
                        && delays.get(2).toMillis() <= 1000,
                "doubling from 250 ms: " + delays.subList(0, 3));
        assertTrue(delays.stream().distinct().count() > 150, "jittered, not fixed");
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("register orders-10.0.0.5-8080 failed (attempt 1, retrying in"), log);
        assertTrue(log.contains("after 200 failed attempts"), log);
        assertTrue(
                log.lines().count() < 15,
                "an outage does not flood stderr: " + log.lines().count() + " lines");
    }

    @Test
    void aRefusedRegistrationIsSaidInOneErrorLineAndRetriedSlowlyNeverInAHotLoop() {
        backend.failRegister(1000, new RefusedException("register orders-10.0.0.5-8080 failed: HTTP 400 limitReached"));
        Registration r = manager.register(ORDERS);
        scheduler.advance(Duration.ofHours(2));
        long attempts = backend.count("register");
        // one every 2.5..5 minutes: 25..49 in two hours, where the backoff would have made ~720
        assertTrue(attempts >= 25 && attempts <= 49, attempts + " attempts in two hours");
        List<Duration> delays = scheduler.requestedDelays();
        assertTrue(
                delays.subList(1, delays.size()).stream()
                        .allMatch(d ->
                                d.compareTo(Duration.ofSeconds(150)) >= 0 && d.compareTo(Duration.ofMinutes(5)) <= 0),
                "between 2.5 and 5 minutes: " + delays);
        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().count(), log);
        assertTrue(
                log.contains(" error register orders-10.0.0.5-8080 refused by the registry")
                        && log.contains("HTTP 400 limitReached")
                        && log.contains("every 5 minutes"),
                log);
        assertEquals(RegistrationState.REGISTERING, r.state());
    }

    @Test
    void aRefusalAfterAnOutageIsSaidAgainAndTheRegistrationComesOnceTheRegistryAccepts() {
        backend.failRegister(2, new ConnectException("Connection refused"));
        backend.failRegister(3, new RefusedException("register orders-10.0.0.5-8080 failed: HTTP 403 forbiddenError"));
        Registration r = manager.register(ORDERS);
        scheduler.advance(Duration.ofMinutes(30));
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertEquals(6, backend.count("register"));
        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(l -> l.contains(" error ")).count(), log);
        assertTrue(log.contains("HTTP 403 forbiddenError") && log.contains("after 5 failed attempts"), log);
    }

    @Test
    void aRefusedHeartbeatIsNotRetriedAtOnce() {
        manager.register(ORDERS);
        scheduler.runDue();
        backend.nextRenew(new RefusedException("heartbeat orders-10.0.0.5-8080 failed: HTTP 401 unauthorizedError"));
        scheduler.advance(scheduler.nextDelay());
        assertEquals(1, backend.count("renew"));
        assertTrue(
                scheduler.nextDelay().compareTo(Duration.ofSeconds(150)) >= 0,
                scheduler.nextDelay().toString());
    }

    @Test
    void whenTheRegistryForgetsTheServiceItIsRegisteredAgainAtOnce() {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        backend.nextRenew(Boolean.FALSE);
        scheduler.advance(Duration.ofSeconds(24));
        assertEquals(2, backend.count("register"), "registered again in the same step, without backoff");
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertTrue(backend.isLive(ORDERS.id()));
        assertTrue(
                logged.toString(StandardCharsets.UTF_8).contains("the registry no longer knows orders-10.0.0.5-8080"));
    }

    @Test
    void reRegisteringIsAVisibleStateWhileTheRegistryIsDown() {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        backend.nextRenew(Boolean.FALSE);
        backend.failRegister(3, new IOException("503"));
        scheduler.advance(scheduler.nextDelay());
        assertEquals(RegistrationState.RE_REGISTERING, r.state());
        scheduler.advance(Duration.ofSeconds(30));
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertEquals(5, backend.count("register"));
    }

    @Test
    void aFailedHeartbeatIsRetriedAtOnceThenWithBackoffInsideTheMargin() {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        int before = scheduler.requestedDelays().size();
        Duration firstBeat = scheduler.requestedDelays().get(before - 1);
        for (int i = 0; i < 6; i++) {
            backend.nextRenew(new IOException("timeout"));
        }
        scheduler.advance(Duration.ofSeconds(29));
        assertEquals(7, backend.count("renew"), "six failures, then a good beat");
        List<Duration> retries = scheduler.requestedDelays().subList(before, before + 6);
        assertEquals(Duration.ZERO, retries.get(0), "first retry at once");
        Duration lastRetryAt = retries.stream().reduce(firstBeat, Duration::plus);
        assertTrue(
                lastRetryAt.compareTo(HEARTBEAT.timeout()) < 0,
                "every retry lands before the registry's deadline: " + firstBeat + " + " + retries);
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertEquals(0, r.failures(), "the streak ended with a good beat");
        assertEquals(1, backend.count("register"), "a renewal failure alone does not re-register");
    }

    @Test
    void anErrorThrownByTheBackendDoesNotKillTheLoop() {
        backend.failRegister(1, new NoClassDefFoundError("okhttp3/Foo"));
        backend.failRegister(1, new IllegalStateException("bug"));
        Registration r = manager.register(ORDERS);
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(RegistrationState.REGISTERED, r.state());
        backend.nextRenew(new OutOfMemoryError("simulated"));
        scheduler.advance(Duration.ofMinutes(2));
        assertTrue(backend.count("renew") >= 4, "heartbeats continue after an Error: " + backend.count("renew"));
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertTrue(
                logged.toString(StandardCharsets.UTF_8).contains("unexpected failure in the registration lifecycle"));
    }

    @Test
    void deregisterRemovesTheEntryStopsHeartbeatsAndIsIdempotent() throws InterruptedException {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        r.deregister(Duration.ofSeconds(5));
        assertEquals(RegistrationState.DEREGISTERED, r.state());
        assertFalse(backend.isLive(ORDERS.id()));
        r.deregister(Duration.ofSeconds(5));
        assertEquals(1, backend.count("deregister"));
        scheduler.advance(Duration.ofMinutes(5));
        assertEquals(0, backend.count("renew"), "no heartbeat after deregistration");
        assertTrue(manager.registrations().isEmpty());
        assertTrue(r.awaitState(RegistrationState.DEREGISTERED, Duration.ZERO));
    }

    @Test
    void deregisteringBeforeTheFirstAttemptNeverRegisters() {
        Registration r = manager.register(ORDERS);
        r.deregister(Duration.ofSeconds(5));
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(0, backend.count("register"));
        assertEquals(RegistrationState.DEREGISTERED, r.state());
    }

    @Test
    void updateReplacesTheEntryWithTheNewInstance() {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        ServiceInstance twoPorts = ORDERS.withMetadata(Map.of("port", "8080", "ports", "8080,9090"));
        r.update(twoPorts);
        assertEquals(RegistrationState.RE_REGISTERING, r.state());
        scheduler.runDue();
        assertEquals(RegistrationState.REGISTERED, r.state());
        assertEquals(twoPorts, backend.lease(ORDERS.id()).instance());
        assertEquals(
                List.of("register", "deregister", "register"),
                backend.calls().stream().map(FakeBackend.Call::op).toList());
        r.update(twoPorts);
        scheduler.runDue();
        assertEquals(2, backend.count("register"), "an identical update is a no-op");
    }

    @Test
    void anUpdateDuringAnInFlightRegistrationLeavesExactlyOneHeartbeatChain() {
        ServiceInstance updated = ORDERS.withMetadata(Map.of("port", "8080", "ports", "8080,9090"));
        Registration[] holder = new Registration[1];
        backend.duringNextRegister(() -> holder[0].update(updated));
        holder[0] = manager.register(ORDERS);
        scheduler.runDue();
        assertEquals(
                List.of("register", "deregister", "register"),
                backend.calls().stream().map(FakeBackend.Call::op).toList(),
                "the stale entry is replaced");
        assertEquals(updated, backend.lease(ORDERS.id()).instance());
        scheduler.advance(Duration.ofMinutes(4));
        long renewals = backend.count("renew");
        assertTrue(renewals >= 10 && renewals <= 12, "one chain of heartbeats, not two: " + renewals);
    }

    @Test
    void anUpdateWhileTheRegistryIsDownRegistersOnlyTheNewInstance() {
        backend.failRegister(5, new ConnectException("refused"));
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        ServiceInstance updated = ORDERS.withMetadata(Map.of("port", "8080", "x", "y"));
        r.update(updated);
        scheduler.advance(Duration.ofMinutes(2));
        assertEquals(updated, backend.lease(ORDERS.id()).instance());
        assertEquals(0, backend.count("deregister"));
    }

    @Test
    void registeringAnIdAgainUpdatesTheExistingRegistration() {
        Registration first = manager.register(ORDERS);
        scheduler.runDue();
        ServiceInstance again = ORDERS.withMetadata(Map.of("port", "8080", "ready", "true"));
        Registration second = manager.register(again);
        scheduler.runDue();
        assertTrue(first == second, "the same registration");
        assertEquals(1, manager.registrations().size());
        assertEquals(again, backend.lease(ORDERS.id()).instance());
    }

    @Test
    void deregisterAllRemovesEveryRegistrationInParallel() {
        manager.register(ORDERS);
        manager.register(new ServiceInstance("orders-10.0.0.5-9090", "orders", "10.0.0.5", 9090, List.of(), Map.of()));
        scheduler.runDue();
        manager.deregisterAll(Duration.ZERO, Duration.ofSeconds(5));
        assertEquals(2, backend.count("deregister"));
        assertTrue(manager.registrations().isEmpty());
    }

    @Test
    void drainMarksOutOfServiceWaitsThenDeletes() {
        backend.drainable();
        manager.register(ORDERS);
        scheduler.runDue();
        long start = System.nanoTime();
        manager.deregisterAll(Duration.ofMillis(300), Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(
                List.of("register", "out-of-service", "deregister"),
                backend.calls().stream().map(FakeBackend.Call::op).toList());
        assertTrue(tookMillis >= 300, "waited for the drain: " + tookMillis + " ms");
    }

    @Test
    void drainIsSkippedWhereTheBackendCannotDrain() {
        manager.register(ORDERS);
        scheduler.runDue();
        long start = System.nanoTime();
        manager.deregisterAll(Duration.ofSeconds(30), Duration.ofSeconds(5));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
        assertEquals(
                List.of("register", "deregister"),
                backend.calls().stream().map(FakeBackend.Call::op).toList());
    }

    @Test
    void oneRegistrationDrainsAloneAndOnlyOnce() {
        backend.drainable();
        Registration orders = manager.register(ORDERS);
        ServiceInstance other =
                new ServiceInstance("orders-10.0.0.5-9090", "orders", "10.0.0.5", 9090, List.of(), Map.of());
        manager.register(other);
        scheduler.runDue();
        long start = System.nanoTime();
        orders.deregister(Duration.ofMillis(300), Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 300, "waited for the drain: " + tookMillis + " ms");
        assertEquals(
                List.of("out-of-service", "deregister"),
                backend.calls().stream()
                        .filter(call ->
                                call.id().equals(ORDERS.id()) && !call.op().equals("register"))
                        .map(FakeBackend.Call::op)
                        .toList());
        assertEquals(RegistrationState.DEREGISTERED, orders.state());
        assertFalse(backend.isLive(ORDERS.id()));
        assertTrue(backend.isLive(other.id()), "the other registration is untouched");
        assertEquals(1, manager.registrations().size());

        orders.deregister(Duration.ofMillis(300), Duration.ofSeconds(5));
        orders.deregister(Duration.ofSeconds(5));
        assertEquals(1, backend.count("out-of-service"), "idempotent: drained once");
        assertEquals(1, backend.count("deregister"), "idempotent: deleted once");
    }

    @Test
    void drainOfOneRegistrationIsSkippedWhereTheBackendCannotDrain() {
        Registration orders = manager.register(ORDERS);
        scheduler.runDue();
        long start = System.nanoTime();
        orders.deregister(Duration.ofSeconds(30), Duration.ofSeconds(5));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "no drain wait");
        assertEquals(
                List.of("register", "deregister"),
                backend.calls().stream().map(FakeBackend.Call::op).toList());
        assertEquals(RegistrationState.DEREGISTERED, orders.state());
    }

    @Test
    void drainOfOneRegistrationIsBoundedAndTheDeletionFollowsInTheBackground() throws InterruptedException {
        backend.drainable();
        Registration orders = manager.register(ORDERS);
        scheduler.runDue();
        long start = System.nanoTime();
        orders.deregister(Duration.ofMillis(1500), Duration.ofMillis(100));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 1400, "returned at the bound, before the drain ended: " + tookMillis + " ms");
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("deregistration did not finish within 100 ms"));
        assertEquals(0, backend.count("deregister"), "still draining");
        assertTrue(
                orders.awaitState(RegistrationState.DEREGISTERED, Duration.ofSeconds(10)), "deleted after the drain");
        assertEquals(
                List.of("register", "out-of-service", "deregister"),
                backend.calls().stream().map(FakeBackend.Call::op).toList());
        assertFalse(backend.isLive(ORDERS.id()));
    }

    @Test
    void abandonStopsRenewingWithoutDeleting() {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        r.abandon();
        scheduler.advance(Duration.ofMinutes(5));
        assertEquals(
                List.of("register"),
                backend.calls().stream().map(FakeBackend.Call::op).toList());
        assertEquals(RegistrationState.DEREGISTERED, r.state());
        assertTrue(manager.registrations().isEmpty());
        manager.close();
        assertEquals(0, backend.count("deregister"), "an abandoned registration is left to expire");
    }

    @Test
    void deregisterIsBoundedWhenTheRegistryHangs() {
        Registration r = manager.register(ORDERS);
        scheduler.runDue();
        CountDownLatch release = backend.holdDeregister();
        try {
            long start = System.nanoTime();
            r.deregister(Duration.ofMillis(200));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 2000, "returned after " + tookMillis + " ms");
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains("deregistration did not finish within 200 ms"));
        } finally {
            release.countDown();
        }
        Await.until(Duration.ofSeconds(5), () -> r.state() == RegistrationState.DEREGISTERED);
    }

    @Test
    void aRegistrationInFlightWhenDeregisterIsCalledIsRemovedToo() throws InterruptedException {
        try (RegistrationManager real = new RegistrationManager(backend, HEARTBEAT)) {
            CountDownLatch release = backend.holdRegister();
            Registration r = real.register(ORDERS);
            Await.until(Duration.ofSeconds(5), () -> backend.count("register") == 1, "register call in flight");
            Thread releaser = new Thread(() -> {
                Await.until(
                        Duration.ofSeconds(5),
                        () -> backend.calls().size() == 1 && r.state() == RegistrationState.REGISTERING);
                release.countDown();
            });
            releaser.start();
            r.deregister(Duration.ofSeconds(5));
            releaser.join(5000);
            assertEquals(RegistrationState.DEREGISTERED, r.state());
            assertFalse(backend.isLive(ORDERS.id()), "the lease returned after deregister() was deleted");
            assertEquals(1, backend.count("deregister"));
        }
    }

    @Test
    void theDefaultSchedulerIsOneDaemonThreadNamedAutoregLifecycle() throws InterruptedException {
        try (RegistrationManager real = new RegistrationManager(backend, HEARTBEAT)) {
            Registration r = real.register(ORDERS);
            assertTrue(r.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)));
            Thread lifecycle = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("autoreg-lifecycle"))
                    .findFirst()
                    .orElse(null);
            assertNotNull(lifecycle);
            assertTrue(lifecycle.isDaemon());
        }
        assertEquals(1, backend.count("deregister"), "close() deregisters");
    }
}
