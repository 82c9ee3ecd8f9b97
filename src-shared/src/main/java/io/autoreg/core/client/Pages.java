package io.autoreg.core.client;

import okhttp3.HttpUrl;

/** The shared {@code marker}/{@code limit} query of every list call. */
final class Pages {

    private Pages() {}

    static void query(HttpUrl.Builder url, String marker, Integer limit) {
        if (marker != null) {
            url.addQueryParameter("marker", marker);
        }
        if (limit != null) {
            url.addQueryParameter("limit", Integer.toString(limit));
        }
    }
}
