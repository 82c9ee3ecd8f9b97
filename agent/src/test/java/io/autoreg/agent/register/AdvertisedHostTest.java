package io.autoreg.agent.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.listen.Listener;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.ServiceSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdvertisedHostTest {

    private static final ServiceSettings UNCONFIGURED = new ServiceSettings(null, null, List.of(), Map.of(), null);

    @Test
    void aListenerBoundToOneAddressAdvertisesItWithoutChoosingAnAddress() throws Exception {
        AdvertisedHost host = new AdvertisedHost(null, Map.of("POD_IP", "10.1.2.3"));
        InstanceFactory factory = new InstanceFactory(UNCONFIGURED, new MainIdentity("app.jar", "app"), host);
        ServiceInstance instance = factory.create(
                new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), false),
                List.of(8080),
                false);
        assertEquals(InetAddress.getLoopbackAddress().getHostAddress(), instance.address());
        assertFalse(host.chosen(), "no wildcard listener, no configured address: nothing to choose");
    }

    @Test
    void aWildcardListenerAdvertisesTheChosenAddressOnce() {
        AdvertisedHost host = new AdvertisedHost(null, Map.of("POD_IP", "10.1.2.3"));
        InstanceFactory factory = new InstanceFactory(UNCONFIGURED, new MainIdentity("app.jar", "app"), host);
        assertEquals(
                "10.1.2.3",
                factory.create(new Listener(new InetSocketAddress(8080), false), List.of(8080), false)
                        .address());
        assertTrue(host.chosen());
        assertEquals(
                "10.1.2.3",
                factory.create(new Listener(new InetSocketAddress(9090), false), List.of(9090), false)
                        .address());
    }

    @Test
    void aConfiguredAddressWinsForEveryListener() throws Exception {
        ServiceSettings configured = new ServiceSettings(null, null, List.of(), Map.of(), "svc.example");
        AdvertisedHost host = new AdvertisedHost(configured.address(), Map.of("POD_IP", "10.1.2.3"));
        InstanceFactory factory = new InstanceFactory(configured, new MainIdentity("app.jar", "app"), host);
        assertEquals(
                "svc.example",
                factory.create(
                                new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), false),
                                List.of(8080),
                                false)
                        .address());
    }
}
