package io.autoreg.registry.sessions;

import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.ListPage;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.autoreg.registry.services.Service;
import io.autoreg.registry.services.ServiceTable;
import io.autoreg.registry.services.ServicesRoute;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * GET /v1.0/{tenant}/views/overview: the session generation's overview, which the 0.1.x Node client
 * ({@code views.getOverview}) and the Java client ({@code ViewsClient}) read as a list envelope of
 * {@code {"session":{…},"services":[…]}}, one item per live session with the services registered into it.
 * Paginated over sessions like GET /sessions. Services with a heartbeat_timeout of their own belong to no
 * session and are listed by GET /services only.
 */
public final class OverviewRoute implements Route {
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private final SessionTable sessions;
    private final ServiceTable services;
    private final LongSupplier clock;

    public OverviewRoute(SessionTable sessions, ServiceTable services, LongSupplier clock) {
        this.sessions = sessions;
        this.services = services;
        this.clock = clock;
    }

    @Override
    public Reply handle(Call call) {
        List<String> segments = call.segments();
        if (segments.size() != 2 || !segments.get(1).equals("overview")) {
            throw ApiError.pageNotFound();
        }
        if (!call.method().equals(Methods.GET)) {
            throw call.methodNotAllowed();
        }
        String marker = call.query("marker");
        if (marker != null && !SESSION_ID.matcher(marker).matches()) {
            throw ApiError.invalidParameter("marker");
        }
        long now = clock.getAsLong();
        Map<String, List<Service>> bySession = servicesBySession(call.tenant(), now);
        return Reply.ok(ListPage.render(
                call,
                sessions.sessions(call.tenant()),
                marker,
                marker,
                s -> s.aliveAt(now),
                (sb, id, session) -> {
                    sb.append("{\"session\":");
                    session.writeTo(sb);
                    sb.append(",\"services\":[");
                    List<Service> members = bySession.getOrDefault(id, List.of());
                    for (int i = 0; i < members.size(); i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        ServicesRoute.write(sb, members.get(i));
                    }
                    sb.append("]}");
                },
                "/v1.0/" + call.tenant() + "/views/overview"));
    }

    /** One pass over the tenant's services (bounded by its quota), in id order within each session. */
    private Map<String, List<Service>> servicesBySession(String tenant, long now) {
        Map<String, List<Service>> bySession = new HashMap<>();
        for (Service service : services.services(tenant).values()) {
            String session = service.spec().sessionId();
            if (session != null && services.visible(service, now)) {
                bySession.computeIfAbsent(session, k -> new ArrayList<>()).add(service);
            }
        }
        return bySession;
    }
}
