package io.autoreg.agent.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.listen.Listener;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.ServiceSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainIdentityTest {

    @Test
    void theServiceNameComesFromTheJarOrTheMainClass() {
        assertEquals(
                new MainIdentity("sample-app.jar", "sample-app"),
                MainIdentity.of("target/sample-app.jar --port 0", null));
        assertEquals(
                "orders",
                MainIdentity.of("/opt/orders-1.4.2-SNAPSHOT.jar", null).serviceName());
        assertEquals(
                new MainIdentity("io.autoreg.sample.SampleApp", "sample-app"),
                MainIdentity.of("io.autoreg.sample.SampleApp --port 0", null));
        assertEquals(
                "billing",
                MainIdentity.of("com.acme/com.acme.BillingMain", "com.acme").serviceName());
        assertEquals("java", MainIdentity.of("", null).serviceName());
    }

    /** A fleet has many Main classes: each would be the one service "main" to its consumers. */
    @Test
    void aMainClassNamedForNothingGivesItsPackageOrModule() {
        assertEquals(
                new MainIdentity("com.acme.orders.Main", "orders"), MainIdentity.of("com.acme.orders.Main 8080", null));
        assertEquals(
                "billing", MainIdentity.of("com.acme.billing.Application", null).serviceName());
        assertEquals(
                "payments",
                MainIdentity.of("io.acme.payments.Server --port 0", null).serviceName());
        assertEquals(
                "web",
                MainIdentity.of("demo.web/demo.Main 3000", "demo.web").serviceName(),
                "the module, as -m module/class gives it");
        assertEquals("main", MainIdentity.of("Main", null).serviceName(), "no package: nothing better");
        assertEquals("orders", MainIdentity.of("com.acme.OrdersMain", null).serviceName(), "unchanged");
        assertEquals("sample-app", MainIdentity.of("io.acme.SampleApp", null).serviceName(), "unchanged");
    }

    /** An unpacked Spring Boot image runs its launcher: the application is the manifest's Start-Class. */
    @Test
    void springBootsLauncherGivesWayToTheStartClass() {
        MainIdentity launcher = MainIdentity.of("org.springframework.boot.loader.launch.JarLauncher", null);
        assertEquals("jar-launcher", launcher.serviceName(), "what every such service was registered as");
        assertEquals(
                new MainIdentity("com.acme.orders.OrdersApplication", "orders-application"),
                MainIdentity.ofSpringBootLauncher(launcher, "com.acme.orders.OrdersApplication"));
        assertEquals(
                "orders",
                MainIdentity.ofSpringBootLauncher(launcher, " com.acme.orders.Application ")
                        .serviceName());
        assertEquals(launcher, MainIdentity.ofSpringBootLauncher(launcher, null), "no Start-Class: as it was");
    }

    @Test
    void theIdIsNameHostPortSanitisedAndAtMost65Characters() {
        InstanceFactory factory = new InstanceFactory(
                new ServiceSettings(null, null, List.of("t"), Map.of("team", "core"), null),
                new MainIdentity("app.jar", "app"),
                "10.0.0.5");
        ServiceInstance instance =
                factory.create(new Listener(new InetSocketAddress(8080), false), List.of(8080, 9090), false);
        assertEquals("app-10.0.0.5-8080", instance.id());
        assertEquals("10.0.0.5", instance.address());
        assertEquals("8080,9090", instance.metadata().get("ports"));
        assertEquals("core", instance.metadata().get("team"));
        assertEquals(
                String.valueOf(ProcessHandle.current().pid()),
                instance.metadata().get("pid"));
        String longId = InstanceFactory.id(
                "a-very-long-service-name-that-goes-on-and-on-and-on-forever", "fe80::1%eth0", 65535);
        assertTrue(longId.length() <= 65 && longId.endsWith("-fe80--1-eth0-65535"), longId);
    }
}
