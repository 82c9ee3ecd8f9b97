package io.autoreg.core.internal.settings;

/**
 * What {@code autoreg.registry.url} may be for ZooKeeper: its client's connect string, {@code host[:port]} servers
 * separated by commas and an optional chroot path ({@code zk1:2181,zk2:2181/apps}) — no scheme. Taken as given, a URL
 * ({@code zk://…}, {@code http://…}) or a port out of range failed every connection for ever with "cannot connect".
 * Checked by characters, never looked up. Public, as {@link AddressRule}: in the agent this package is split between
 * two class loaders, and the core's reader, on the full path's, calls it across them.
 */
public final class ZookeeperConnectString {

    private static final String EXPECTED =
            "expected a ZooKeeper connect string, host:port servers separated by commas and an optional /chroot, such"
                    + " as 127.0.0.1:2181 or zk1:2181,zk2:2181/apps";

    private ZookeeperConnectString() {}

    /** Why {@code connect} is not a connect string, as the rest of a settings error; null when it is one. */
    public static String problem(String connect) {
        String value = connect.trim();
        if (value.contains("://")) {
            return EXPECTED + " (no scheme)";
        }
        int slash = value.indexOf('/');
        String servers = slash < 0 ? value : value.substring(0, slash);
        if (slash >= 0) {
            String chroot = value.substring(slash);
            if (chroot.length() > 1 && (chroot.endsWith("/") || chroot.contains("//"))) {
                return EXPECTED + " (the chroot " + chroot + " has an empty segment)";
            }
        }
        if (servers.isBlank()) {
            return EXPECTED;
        }
        for (String server : servers.split(",", -1)) {
            String serverProblem = serverProblem(server.trim());
            if (serverProblem != null) {
                return EXPECTED + " (" + serverProblem + ")";
            }
        }
        return null;
    }

    private static String serverProblem(String server) {
        if (server.isEmpty()) {
            return "an empty server between commas";
        }
        String host = server;
        String port = null;
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            if (close < 0) {
                return server + " opens a bracket it does not close";
            }
            host = server.substring(0, close + 1);
            String rest = server.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return server + " has something after its address that is not a :port";
                }
                port = rest.substring(1);
            }
        } else if (server.indexOf(':') >= 0) {
            if (server.indexOf(':') != server.lastIndexOf(':')) {
                return server + ": an IPv6 address goes in brackets, [::1]:2181";
            }
            host = server.substring(0, server.indexOf(':'));
            port = server.substring(server.indexOf(':') + 1);
        }
        if (port != null && !isPort(port)) {
            return server + ": " + port + " is not a port (1 to 65535)";
        }
        String hostProblem = AddressRule.problem(host);
        return hostProblem == null ? null : host + " is not a host name or an IP address";
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }
}
