package io.autoreg.registry.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Fields;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.http.ListPage;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Methods;
import java.util.NavigableMap;
import java.util.Set;

/** /v1.0/{tenant}/configuration[/{ns…}/][{id}] (docs/api.md §5). */
public final class ConfigurationRoute implements Route {
    private final ConfigurationStore store;

    public ConfigurationRoute(ConfigurationStore store) {
        this.store = store;
    }

    @Override
    public Reply handle(Call call) {
        ConfigurationIds.Target target = ConfigurationIds.parse(call.rawPath());
        if (target.id() == null) {
            if (!call.method().equals(Methods.GET)) {
                throw call.methodNotAllowed();
            }
            return list(call, target.namespace());
        }
        String id = target.id();
        if (call.method().equals(Methods.GET)) {
            return Reply.ok(item(id, store.get(call.tenant(), id)));
        }
        if (call.method().equals(Methods.PUT)) {
            JsonNode body = Fields.object(call.body(), Set.of("value"));
            String value = Fields.string(body, "value", null, 1, 1024);
            return Reply.after(
                    store.put(call.tenant(), id, value),
                    Reply.noContent(call.tenantBase() + "/configuration" + ConfigurationIds.path(id)));
        }
        if (call.method().equals(Methods.DELETE)) {
            return Reply.after(store.delete(call.tenant(), id), Reply.noContent(null));
        }
        throw call.methodNotAllowed();
    }

    private Reply list(Call call, String namespace) {
        NavigableMap<String, String> values = store.values(call.tenant());
        String marker = call.query("marker");
        if (marker != null && !ConfigurationIds.isValidId(marker)) {
            throw ApiError.invalidParameter("marker");
        }
        if (namespace != null) {
            String end = namespace + Character.MAX_VALUE;
            // A marker is the first id of a page of this listing (a next_marker it gave), so it lies in the
            // namespace; one outside it cannot be a position in this list (and a view refuses it).
            if (marker != null && (marker.compareTo(namespace) < 0 || marker.compareTo(end) > 0)) {
                throw new ApiError(
                        400,
                        "badRequest",
                        "Invalid value for 'marker' query string parameter",
                        "The marker must be an id inside the listed namespace " + namespace);
            }
            values = values.subMap(namespace, true, end, true);
        }
        String path = "/v1.0/" + call.tenant() + "/configuration" + (namespace == null ? "" : namespace);
        return Reply.ok(ListPage.render(
                call, values, marker, marker, v -> true, (sb, id, value) -> sb.append(item(id, value)), path));
    }

    private static String item(String id, String value) {
        StringBuilder sb = new StringBuilder(32 + id.length() + value.length());
        sb.append("{\"id\":");
        JsonText.string(sb, id);
        sb.append(",\"value\":");
        JsonText.string(sb, value);
        sb.append('}');
        return sb.toString();
    }
}
