package io.autoreg.core.internal.settings;

/**
 * What {@code autoreg.service.address} may be: what a consumer connects to, so a host name or an IP address — not a
 * URL ({@code http://10.0.0.5}), not with a port ({@code 10.0.0.5:8080}: the port registered is the listener's), not a
 * wildcard, not a dotted quad out of range. Taken as given, such a value was registered and every consumer got an
 * address it could not connect to. Checked by characters alone — never by a lookup: reading settings must send nothing
 * on the network. Shared by the core's reader (which says what is wrong) and the agent's fast one (which declines).
 */
public final class AddressRule {

    private static final String EXPECTED = "expected a host name or an IP address such as 10.0.0.5";
    private static final int MAX_HOST_NAME = 253;
    private static final int MAX_LABEL = 63;

    private AddressRule() {}

    /** Why {@code address} cannot be advertised, as the rest of a settings error; null when it can. */
    public static String problem(String address) {
        String value = address.trim();
        if (value.equals("0.0.0.0") || value.equals("::") || value.equals("[::]")) {
            return "expected the address consumers should connect to, not a wildcard";
        }
        if (value.contains("://") || value.indexOf('/') >= 0) {
            return EXPECTED + ", without a scheme or a path";
        }
        if (value.startsWith("[") && value.endsWith("]")) {
            return isIpv6(value.substring(1, value.length() - 1))
                    ? null
                    : EXPECTED + ": not an IPv6 address in brackets";
        }
        int colon = value.indexOf(':');
        if (colon >= 0) {
            if (colon == value.lastIndexOf(':') && isDigits(value.substring(colon + 1)) && colon > 0) {
                return EXPECTED + ", without a port: the port registered is the listener's";
            }
            return isIpv6(value) ? null : EXPECTED + ": not an IPv6 address";
        }
        if (isDigitsAndDots(value)) {
            return isIpv4(value) ? null : EXPECTED + ": " + value + " is not an IPv4 address";
        }
        return isHostName(value)
                ? null
                : EXPECTED + " (a host name: labels of 1-63 letters, digits, '-' or '_', separated by dots)";
    }

    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !isDigits(part) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Eight groups of 1-4 hex digits, or fewer around one {@code ::}, the last two may be a dotted quad; a zone. */
    static boolean isIpv6(String literal) {
        String text = literal;
        int zone = text.indexOf('%');
        if (zone >= 0) {
            if (zone == text.length() - 1) {
                return false;
            }
            text = text.substring(0, zone);
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        if ((text.startsWith(":") && gap != 0) || (text.endsWith(":") && gap != text.length() - 2)) {
            return false;
        }
        String[] parts = text.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue; // the :: (a lone empty part elsewhere was refused above)
            }
            if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                if (!isIpv4(part)) {
                    return false;
                }
                groups += 2;
                continue;
            }
            if (part.length() > 4 || !isHex(part)) {
                return false;
            }
            groups++;
        }
        return gap >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > MAX_HOST_NAME) {
            return false;
        }
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name; // a rooted name
        for (String label : trimmed.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean allowed = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '_';
                if (!allowed) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigitsAndDots(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
