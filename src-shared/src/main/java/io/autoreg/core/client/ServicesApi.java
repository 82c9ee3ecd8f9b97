package io.autoreg.core.client;

import io.autoreg.core.client.model.Page;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.ServiceUpdate;
import io.autoreg.core.client.model.Token;
import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/** {@code /services} (docs/api.md §3), with the stale-but-served cache of {@link #listAll(String)}. */
public final class ServicesApi {

    private final Transport transport;
    private final Clock clock;
    private final Map<String, ServiceList> lastGood = new ConcurrentHashMap<>();

    ServicesApi(Transport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /** {@code POST /services}; a duplicate id is a {@link ServiceExistsException}. */
    public CreatedService create(ServiceCreate service) throws IOException {
        Transport.Reply<Token> reply = transport.exchange(
                "create service " + service.id(),
                "POST",
                transport.url("services").build(),
                service,
                Transport.type(Token.class));
        return new CreatedService(
                service.id(), reply.body() == null ? null : reply.body().token(), reply.location());
    }

    /** One page; {@code tag}, {@code marker} (inclusive) and {@code limit} (1..1000) may be null. */
    public Page<Service> list(String tag, String marker, Integer limit) throws IOException {
        HttpUrl.Builder url = transport.url("services");
        Pages.query(url, marker, limit);
        if (tag != null) {
            url.addQueryParameter("tag", tag);
        }
        return transport
                .<Page<Service>>exchange("list services", "GET", url.build(), null, Transport.pageOf(Service.class))
                .body();
    }

    /**
     * Every service (following {@code next_marker}), optionally of one tag. The last good answer is kept
     * per tag; while the registry is unreachable or failing (5xx) it is served with {@code stale = true}
     * instead of an error. Without a previous answer the failure is thrown.
     */
    public ServiceList listAll(String tag) throws IOException {
        String key = tag == null ? "" : tag;
        try {
            List<Service> all = new ArrayList<>();
            String marker = null;
            for (int pages = 0; pages < 100_000; pages++) {
                Page<Service> page = list(tag, marker, 1000);
                all.addAll(page.values());
                if (!page.hasNext()) {
                    break;
                }
                marker = page.metadata().nextMarker();
            }
            ServiceList fresh = new ServiceList(all, false, clock.instant());
            lastGood.put(key, fresh);
            return fresh;
        } catch (IOException e) {
            ServiceList cached = lastGood.get(key);
            if (cached == null || !Outages.isOutage(e)) {
                throw e;
            }
            Log.debug("serving the cached service list from " + cached.fetchedAt() + " while the registry fails", e);
            return cached.asStale();
        }
    }

    public Service get(String id) throws IOException {
        return transport
                .<Service>exchange(
                        "get service " + id,
                        "GET",
                        transport.url("services", id).build(),
                        null,
                        Transport.type(Service.class))
                .body();
    }

    /** {@code PUT /services/{id}}: partial; a new timeout applies from the next heartbeat. */
    public void update(String id, ServiceUpdate update) throws IOException {
        transport.exchange(
                "update service " + id, "PUT", transport.url("services", id).build(), update, null);
    }

    /** Consumes {@code token} and returns the next one; 404 ({@link NotFoundException}) if the service or token is gone. */
    public String heartbeat(String id, String token) throws IOException {
        return transport.heartbeat("services", "service", id, token);
    }

    public void delete(String id) throws IOException {
        transport.exchange(
                "delete service " + id, "DELETE", transport.url("services", id).build(), null, null);
    }
}
