package io.autoreg.core.internal.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses the address a registration advertises: the configured one, else {@code POD_IP} (the
 * Kubernetes downward API), else the first site-local non-loopback address of an up interface
 * (IPv4 before IPv6, interfaces in index order so the choice is stable), else loopback.
 */
public final class AddressResolver {

    /** The chosen address and why, so front ends can say which one they picked. */
    public record Advertised(String address, String source) {}

    private AddressResolver() {}

    public static String advertised(String configured, Map<String, String> env) {
        return resolve(configured, env).address();
    }

    public static Advertised resolve(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return new Advertised(configured.trim(), "autoreg.service.address");
        }
        String podIp = env == null ? null : env.get("POD_IP");
        if (podIp != null && !podIp.isBlank()) {
            return new Advertised(podIp.trim(), "environment variable POD_IP");
        }
        InetAddress siteLocal = firstSiteLocal();
        if (siteLocal != null) {
            return new Advertised(siteLocal.getHostAddress(), "first site-local address");
        }
        return new Advertised(
                InetAddress.getLoopbackAddress().getHostAddress(), "loopback (no site-local address found)");
    }

    static InetAddress firstSiteLocal() {
        List<InetAddress> candidates = new ArrayList<>();
        try {
            List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            interfaces.sort(BY_INDEX);
            for (NetworkInterface nic : interfaces) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a.isSiteLocalAddress() && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        candidates.add(a);
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            return null;
        }
        for (InetAddress candidate : candidates) {
            if (candidate instanceof Inet4Address) {
                return candidate;
            }
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    /** Not a lambda: this runs on the agent's start-up path, where each lambda costs a cold JVM spun classes. */
    private static final Comparator<NetworkInterface> BY_INDEX = new Comparator<>() {
        @Override
        public int compare(NetworkInterface a, NetworkInterface b) {
            return Integer.compare(a.getIndex(), b.getIndex());
        }
    };
}
