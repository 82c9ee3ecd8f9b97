package io.autoreg.core.internal.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code user:password@} part of a URL setting: whether it is there, and the URL with its password shown as
 * {@value RegistrySettings#REDACTED}. Settings end up in logs and in the message of a bad setting; a password
 * must not.
 */
public final class UrlCredentials {

    private UrlCredentials() {}

    /** Whether {@code url} parses and has a user-info part ({@code http://user:pw@host/}). */
    public static boolean present(String url) {
        if (url == null) {
            return false;
        }
        try {
            return new URI(url).getRawUserInfo() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * {@code http://user:pw@host/} → {@code http://user:██@host/}, in each URL of a list ({@link UrlList});
     * anything else unchanged. Text, not {@link URI}: it also hides the password of a value too broken to parse.
     */
    public static String redacted(String url) {
        if (url == null) {
            return null;
        }
        List<String> urls = UrlList.split(url);
        if (urls.size() > 1) {
            List<String> shown = new ArrayList<>();
            for (String one : urls) {
                shown.add(redactedOne(one));
            }
            return String.join(",", shown);
        }
        return redactedOne(url);
    }

    private static String redactedOne(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int authorityStart = scheme + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        // the last '@' of the authority ends the user info: a password may hold an unescaped '@'
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return url;
        }
        int colon = url.indexOf(':', authorityStart);
        return colon < 0 || colon > at
                ? url
                : url.substring(0, colon + 1) + RegistrySettings.REDACTED + url.substring(at);
    }
}
