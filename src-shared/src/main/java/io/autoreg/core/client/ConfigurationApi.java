package io.autoreg.core.client;

import io.autoreg.core.client.model.ConfigurationValue;
import io.autoreg.core.client.model.Page;
import java.io.IOException;
import okhttp3.HttpUrl;

/**
 * {@code /configuration} (docs/api.md §5). Ids are plain keys ({@code cassandra_listen_ip}) or namespaced
 * ({@code /production/cassandra/listen_ip}); a namespaced id is sent as
 * {@code /configuration/production/cassandra/listen_ip}, each segment percent-encoded.
 */
public final class ConfigurationApi {

    private final Transport transport;

    ConfigurationApi(Transport transport) {
        this.transport = transport;
    }

    public Page<ConfigurationValue> list(String marker, Integer limit) throws IOException {
        HttpUrl.Builder url = transport.url("configuration");
        Pages.query(url, marker, limit);
        return page("list configuration", url);
    }

    /** Every value under {@code namespace} ({@code /production/cassandra}), recursively, one page. */
    public Page<ConfigurationValue> listNamespace(String namespace, String marker, Integer limit) throws IOException {
        HttpUrl.Builder url = path(namespace).addPathSegment("");
        Pages.query(url, marker, limit);
        return page("list configuration namespace " + namespace, url);
    }

    public ConfigurationValue get(String id) throws IOException {
        return transport
                .<ConfigurationValue>exchange(
                        "get configuration " + id,
                        "GET",
                        path(id).build(),
                        null,
                        Transport.type(ConfigurationValue.class))
                .body();
    }

    /** Creates or overwrites; setting the same value again changes nothing and writes no event. */
    public void set(String id, String value) throws IOException {
        transport.exchange(
                "set configuration " + id, "PUT", path(id).build(), new ConfigurationValue(null, value), null);
    }

    public void delete(String id) throws IOException {
        transport.exchange("delete configuration " + id, "DELETE", path(id).build(), null, null);
    }

    private Page<ConfigurationValue> page(String call, HttpUrl.Builder url) throws IOException {
        return transport
                .<Page<ConfigurationValue>>exchange(
                        call, "GET", url.build(), null, Transport.pageOf(ConfigurationValue.class))
                .body();
    }

    private HttpUrl.Builder path(String id) {
        HttpUrl.Builder url = transport.url("configuration");
        for (String segment : id.split("/")) {
            if (!segment.isEmpty()) {
                url.addPathSegment(segment);
            }
        }
        return url;
    }
}
