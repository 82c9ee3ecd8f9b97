package io.autoreg.registry.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Fields;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.http.ListPage;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/** /v1.0/{tenant}/services[/{id}[/heartbeat]] (docs/api.md §3). */
public final class ServicesRoute implements Route {
    static final Pattern ID = Pattern.compile("[a-zA-Z0-9_\\-.]{3,65}");
    private static final Set<String> CREATE_FIELDS =
            Set.of("id", "heartbeat_timeout", "session_id", "tags", "metadata");
    private static final Set<String> UPDATE_FIELDS = Set.of("id", "heartbeat_timeout", "tags", "metadata");
    private static final Set<String> HEARTBEAT_FIELDS = Set.of("token");
    private final ServiceTable table;
    private final LongSupplier clock;

    public ServicesRoute(ServiceTable table, LongSupplier clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Reply handle(Call call) {
        List<String> segments = call.segments();
        switch (segments.size()) {
            case 1:
                if (call.method().equals(Methods.GET)) {
                    return list(call);
                }
                if (call.method().equals(Methods.POST)) {
                    return create(call);
                }
                throw call.methodNotAllowed();
            case 2:
                String id = pathId(segments.get(1));
                if (call.method().equals(Methods.GET)) {
                    return Reply.ok(render(table.get(call.tenant(), id)));
                }
                if (call.method().equals(Methods.PUT)) {
                    return update(call, id);
                }
                if (call.method().equals(Methods.DELETE)) {
                    return Reply.after(table.delete(call.tenant(), id), Reply.noContent(null));
                }
                throw call.methodNotAllowed();
            case 3:
                if (!segments.get(2).equals("heartbeat")) {
                    throw ApiError.pageNotFound();
                }
                if (!call.method().equals(Methods.POST)) {
                    throw call.methodNotAllowed();
                }
                return heartbeat(call, pathId(segments.get(1)));
            default:
                throw ApiError.pageNotFound();
        }
    }

    private static String pathId(String id) {
        if (!validId(id)) {
            throw ApiError.invalidParameter("serviceId");
        }
        return id;
    }

    /** {@link #ID} without a regex: this runs on every heartbeat. */
    static boolean validId(String id) {
        int n = id.length();
        if (n < 3 || n > 65) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private Reply heartbeat(Call call, String id) {
        long fast = call.onlyStringFieldRange("token");
        if (fast >= 0) {
            return Reply.okUtf8(table.heartbeat(call.tenant(), id, call.rawBody(), (int) (fast >>> 32), (int) fast));
        }
        JsonNode body = Fields.object(call.body(), HEARTBEAT_FIELDS);
        JsonNode token = body.get("token");
        if (token == null || !token.isTextual()) {
            throw ApiError.validation("token", "Key is required and must be a string");
        }
        return Reply.okUtf8(table.heartbeat(call.tenant(), id, token.textValue()));
    }

    private Reply create(Call call) {
        JsonNode body = Fields.object(call.body(), CREATE_FIELDS);
        String id = Fields.string(body, "id", ID, 3, 65);
        boolean hasTimeout = Fields.present(body, "heartbeat_timeout");
        boolean hasSession = Fields.present(body, "session_id");
        if (hasTimeout == hasSession) {
            throw ApiError.validation(
                    hasTimeout ? "session_id" : "heartbeat_timeout",
                    "Exactly one of 'heartbeat_timeout' and 'session_id' is required");
        }
        int timeout = hasTimeout ? Fields.integer(body, "heartbeat_timeout", 3, 120) : 0;
        String session = hasSession ? Fields.string(body, "session_id", null, 1, 64) : null;
        ServiceSpec spec = new ServiceSpec(id, timeout, session, Fields.tags(body), Fields.metadata(body));
        ServiceTable.Created created = table.create(call.tenant(), spec);
        String location = call.tenantBase() + "/services/" + id;
        return Reply.after(
                created.durable(),
                Reply.created(location, created.token() == null ? "{}" : JsonText.token(created.token())));
    }

    private Reply update(Call call, String id) {
        JsonNode body = Fields.object(call.body(), UPDATE_FIELDS);
        if (body.has("id") && !id.equals(body.get("id").asText())) {
            throw ApiError.validation("id", "The id of a service cannot change");
        }
        Integer timeout =
                Fields.present(body, "heartbeat_timeout") ? Fields.integer(body, "heartbeat_timeout", 3, 120) : null;
        return Reply.after(
                table.update(
                        call.tenant(),
                        id,
                        Fields.present(body, "tags") ? Fields.tags(body) : null,
                        Fields.present(body, "metadata") ? Fields.metadata(body) : null,
                        timeout),
                Reply.noContent(call.tenantBase() + "/services/" + id));
    }

    private Reply list(Call call) {
        String marker = call.query("marker");
        if (marker != null && !validId(marker)) {
            throw ApiError.invalidParameter("marker");
        }
        String tag = call.query("tag");
        if (tag != null && (tag.isEmpty() || tag.codePointCount(0, tag.length()) > 55)) {
            throw ApiError.invalidParameter("tag");
        }
        long now = clock.getAsLong();
        // The page's next_href holds the server's base, so the base is part of the key (one per local address).
        String key = call.base() + '?' + call.exchange().getQueryString();
        long version = table.version(call.tenant());
        ListCache.Page cached = table.cachedPage(call.tenant(), key, version, now);
        if (cached != null) {
            PageResponse.send(call.exchange(), cached);
            return null;
        }
        long[] validUntil = {Long.MAX_VALUE};
        List<Service> listed = new ArrayList<>();
        IntList starts = new IntList();
        IntList ends = new IntList();
        String page = ListPage.render(
                call,
                table.services(call.tenant()),
                marker,
                marker,
                s -> table.visible(s, now) && (tag == null || s.spec().tags().contains(tag)),
                (sb, id, s) -> {
                    validUntil[0] = Math.min(validUntil[0], table.visibleUntil(s));
                    listed.add(s);
                    sb.append(s.spec().jsonHead()).append(",\"last_seen\":");
                    starts.add(sb.length());
                    appendLastSeen(sb, s);
                    ends.add(sb.length());
                    sb.append('}');
                },
                "/v1.0/" + call.tenant() + "/services");
        PageResponse.send(
                call.exchange(),
                table.cachePage(
                        call.tenant(),
                        key,
                        version,
                        validUntil[0],
                        page,
                        listed.toArray(new Service[0]),
                        starts.toArray(),
                        ends.toArray()));
        return null;
    }

    /** A growable int array, so that offsets of a 1,000-item page are not boxed. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    private static void appendLastSeen(StringBuilder sb, Service service) {
        long lastSeen = service.lastSeen();
        if (lastSeen < 0) {
            sb.append("null");
        } else {
            sb.append(lastSeen);
        }
    }

    /** A service object as GET /services/{id} answers it. */
    public static void write(StringBuilder sb, Service service) {
        sb.append(service.spec().jsonHead()).append(",\"last_seen\":");
        appendLastSeen(sb, service);
        sb.append('}');
    }

    private static String render(Service service) {
        StringBuilder sb = new StringBuilder(160);
        write(sb, service);
        return sb.toString();
    }
}
