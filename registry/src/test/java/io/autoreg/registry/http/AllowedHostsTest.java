package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host rule of an open server for binds the HTTP tests cannot use here (a wildcard, a name, IPv6). */
class AllowedHostsTest {
    private static InetSocketAddress local(String literal) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), 8870);
    }

    @Test
    void aWildcardBindAnswersTheAddressTheClientReachedButNotTheWildcardItself() throws UnknownHostException {
        AllowedHosts hosts = new AllowedHosts(true, "0.0.0.0", List.of());
        assertTrue(hosts.allowed("10.0.0.5:8870", local("10.0.0.5")));
        assertTrue(hosts.allowed("10.0.0.5", local("10.0.0.5")));
        assertFalse(hosts.allowed("10.0.0.6:8870", local("10.0.0.5")));
        assertFalse(hosts.allowed("0.0.0.0:8870", local("127.0.0.1")));
        assertFalse(hosts.allowed("registry.example:8870", local("10.0.0.5")));
        assertTrue(hosts.allowed("localhost:8870", local("127.0.0.1")));
    }

    @Test
    void anIpv6ConnectionAnswersItsOwnLiteralInAnyNotation() throws UnknownHostException {
        AllowedHosts hosts = new AllowedHosts(true, "::", List.of());
        assertTrue(hosts.allowed("[fd00:0:0:0:0:0:0:5]:8870", local("fd00::5")));
        assertTrue(hosts.allowed("[FD00::5]", local("fd00::5")));
        assertFalse(hosts.allowed("[fd00::6]:8870", local("fd00::5")));
        assertFalse(hosts.allowed("[fd00::5", local("fd00::5")));
        assertFalse(hosts.allowed("[::]:8870", local("::1")));
    }

    @Test
    void aNamedBindAndAllowedHostsAreAnsweredWhateverTheirCaseAndPort() throws UnknownHostException {
        AllowedHosts hosts = new AllowedHosts(true, "registry.lan", List.of("Registry.Internal.Example."));
        assertTrue(hosts.allowed("REGISTRY.LAN:9000", local("192.168.1.2")));
        assertTrue(hosts.allowed("registry.internal.example", local("192.168.1.2")));
        assertFalse(hosts.allowed("registry.internal.example.attacker.example", local("192.168.1.2")));
        assertFalse(hosts.allowed("", local("127.0.0.1")));
    }

    @Test
    void loopbackLiteralsAreOnlyPlainDottedQuads() throws UnknownHostException {
        AllowedHosts hosts = new AllowedHosts(true, "127.0.0.1", List.of());
        assertTrue(hosts.allowed("127.255.0.1", local("127.0.0.1")));
        assertFalse(hosts.allowed("127.1", local("127.0.0.2")));
        assertFalse(hosts.allowed("0177.0.0.1", local("127.0.0.2")));
        assertFalse(hosts.allowed("127.0.0.256", local("127.0.0.2")));
        assertFalse(hosts.allowed("127.0.0.1.attacker.example", local("127.0.0.2")));
    }
}
