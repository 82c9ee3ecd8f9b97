package io.autoreg.registry.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Fields;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.http.ListPage;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Methods;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/** /v1.0/{tenant}/sessions[/{id}[/heartbeat]] (docs/api.md §2). */
public final class SessionsRoute implements Route {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Set<String> CREATE_FIELDS = Set.of("heartbeat_timeout", "metadata");
    private static final Set<String> UPDATE_FIELDS = Set.of("id", "heartbeat_timeout", "metadata");
    private final SessionTable table;
    private final LongSupplier clock;

    public SessionsRoute(SessionTable table, LongSupplier clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Reply handle(Call call) {
        List<String> segments = call.segments();
        if (segments.size() == 1) {
            if (call.method().equals(Methods.GET)) {
                return list(call);
            }
            if (call.method().equals(Methods.POST)) {
                return create(call);
            }
            throw call.methodNotAllowed();
        }
        String id = segments.get(1);
        if (!ID.matcher(id).matches()) {
            throw ApiError.invalidParameter("sessionId");
        }
        if (segments.size() == 2) {
            if (call.method().equals(Methods.GET)) {
                StringBuilder sb = new StringBuilder(128);
                table.get(call.tenant(), id).writeTo(sb);
                return Reply.ok(sb.toString());
            }
            if (call.method().equals(Methods.PUT)) {
                return update(call, id);
            }
            if (call.method().equals(Methods.DELETE)) {
                return Reply.after(table.delete(call.tenant(), id), Reply.noContent(null));
            }
            throw call.methodNotAllowed();
        }
        if (segments.size() == 3 && segments.get(2).equals("heartbeat")) {
            if (!call.method().equals(Methods.POST)) {
                throw call.methodNotAllowed();
            }
            String fast = call.onlyStringField("token");
            if (fast != null) {
                return Reply.ok(JsonText.token(table.heartbeat(call.tenant(), id, fast)));
            }
            JsonNode body = Fields.object(call.body(), Set.of("token"));
            JsonNode token = body.get("token");
            if (token == null || !token.isTextual()) {
                throw ApiError.validation("token", "Key is required and must be a string");
            }
            return Reply.ok(JsonText.token(table.heartbeat(call.tenant(), id, token.textValue())));
        }
        throw ApiError.pageNotFound();
    }

    private Reply create(Call call) {
        JsonNode body = Fields.object(call.body(), CREATE_FIELDS);
        int timeout = Fields.integer(body, "heartbeat_timeout", 3, 120);
        SessionTable.Created created = table.create(call.tenant(), timeout, Fields.metadata(body));
        return Reply.after(
                created.durable(),
                Reply.created(call.tenantBase() + "/sessions/" + created.id(), JsonText.token(created.token())));
    }

    private Reply update(Call call, String id) {
        JsonNode body = Fields.object(call.body(), UPDATE_FIELDS);
        if (body.has("id") && !id.equals(body.get("id").asText())) {
            throw ApiError.validation("id", "The id of a session cannot change");
        }
        Integer timeout =
                Fields.present(body, "heartbeat_timeout") ? Fields.integer(body, "heartbeat_timeout", 3, 120) : null;
        return Reply.after(
                table.update(
                        call.tenant(), id, timeout, Fields.present(body, "metadata") ? Fields.metadata(body) : null),
                Reply.noContent(call.tenantBase() + "/sessions/" + id));
    }

    private Reply list(Call call) {
        String marker = call.query("marker");
        if (marker != null && !ID.matcher(marker).matches()) {
            throw ApiError.invalidParameter("marker");
        }
        long now = clock.getAsLong();
        return Reply.ok(ListPage.render(
                call,
                table.sessions(call.tenant()),
                marker,
                marker,
                s -> s.aliveAt(now),
                (sb, id, s) -> s.writeTo(sb),
                "/v1.0/" + call.tenant() + "/sessions"));
    }
}
