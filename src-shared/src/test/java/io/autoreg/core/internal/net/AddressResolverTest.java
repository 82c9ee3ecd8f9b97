package io.autoreg.core.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressResolverTest {

    @Test
    void theConfiguredAddressWins() {
        assertEquals("10.1.1.1", AddressResolver.advertised("10.1.1.1", Map.of("POD_IP", "10.2.2.2")));
    }

    @Test
    void podIpComesNext() {
        AddressResolver.Advertised a = AddressResolver.resolve(null, Map.of("POD_IP", "10.2.2.2"));
        assertEquals("10.2.2.2", a.address());
        assertEquals("environment variable POD_IP", a.source());
        assertEquals("10.2.2.2", AddressResolver.advertised("  ", Map.of("POD_IP", "10.2.2.2")));
    }

    @Test
    void otherwiseASiteLocalAddressOrLoopbackIsChosen() throws Exception {
        AddressResolver.Advertised a = AddressResolver.resolve(null, Map.of());
        InetAddress chosen = InetAddress.getByName(a.address());
        assertFalse(chosen.isAnyLocalAddress());
        assertTrue(chosen.isSiteLocalAddress() || chosen.isLoopbackAddress(), a.toString());
        assertEquals(
                chosen.isLoopbackAddress() ? "loopback (no site-local address found)" : "first site-local address",
                a.source());
        assertEquals(a, AddressResolver.resolve(null, Map.of()), "the choice is stable");
    }
}
