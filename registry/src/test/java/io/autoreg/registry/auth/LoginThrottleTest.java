package io.autoreg.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.http.ApiError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(5_000_000);
    private final LoginThrottle throttle = new LoginThrottle(Set.of("alice"), now::get);

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    @Test
    void trackedAddressesStayBoundedUnderAFloodFromManyAddresses() throws UnknownHostException {
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES * 3; i++) {
            throttle.failed(address(i), "nobody-" + i);
            if (i % 5_000 == 4_999) {
                now.addAndGet(20_000);
            }
        }
        assertTrue(
                throttle.trackedAddresses() <= LoginThrottle.MAX_ADDRESSES + 1,
                "tracked " + throttle.trackedAddresses());
        // Minutes that ended made room: a new address is counted on its own, not in a shared counter.
        now.addAndGet(61_000);
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            throttle.failed(address(1 << 22), "nobody");
        }
        assertThrows(ApiError.class, () -> throttle.checkAddress(address(1 << 22)));
        throttle.checkAddress(address((1 << 22) + 1));
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws UnknownHostException {
        for (int i = 1; i <= LoginThrottle.PER_ADDRESS; i++) {
            throttle.failed(InetAddress.getByName("2001:db8:1:2::" + i), "alice");
        }
        ApiError refused = assertThrows(
                ApiError.class, () -> throttle.checkAddress(InetAddress.getByName("2001:db8:1:2:ffff::9")));
        assertEquals(429, refused.status());
        assertEquals(60, refused.retryAfterSeconds());
        throttle.checkAddress(InetAddress.getByName("2001:db8:1:3::1"));
        assertEquals("20010db800010002::/64", LoginThrottle.key(InetAddress.getByName("2001:db8:1:2::77")));
    }
}
