package io.autoreg.registry.registro;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Fields;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * /registro/1.0/apps[/{app}[/{id}]] (docs/api.md §9).
 *
 * <p>Bodies are read as Registro reads them, so its own Go client works unchanged: it creates an app with
 * {@code {"name":…,"instances":[]}} and an instance with {@code "status"} and {@code "lastRenewal"} besides id, ip
 * and port. Registro reads only name, and id, ip and port; so do we: a new instance is {@code starting}, stamped
 * with the server's time, whatever those fields say. Any other field is still a 400. A port of 0 is refused as
 * Registro refuses it.
 */
public final class RegistroRoute implements Route {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,255}");
    /** Fields Registro's client sends and Registro ignores (the server decides an instance's status and stamp). */
    private static final Set<String> APP_FIELDS = Set.of("name", "instances");

    private static final Set<String> INSTANCE_FIELDS = Set.of("id", "ip", "port", "status", "lastRenewal");
    private final RegistroStore store;
    private final LongSupplier clock;

    public RegistroRoute(RegistroStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Reply handle(Call call) {
        List<String> s = call.segments();
        if (s.isEmpty() || !s.get(0).equals("apps") || s.size() > 3) {
            throw ApiError.pageNotFound();
        }
        HttpString method = call.method();
        if (s.size() == 1) {
            if (method.equals(Methods.GET)) {
                return Reply.ok(allApps());
            }
            if (method.equals(Methods.POST)) {
                String name = Fields.string(Fields.object(call.body(), APP_FIELDS), "name", NAME, 1, 255);
                return Reply.after(
                        store.createApp(name), Reply.created(call.base() + "/registro/1.0/apps/" + name, "{}"));
            }
            throw ApiError.methodNotAllowed(method.toString());
        }
        String app = name(s.get(1), "app");
        if (s.size() == 2) {
            if (method.equals(Methods.GET)) {
                StringBuilder sb = new StringBuilder(256);
                writeApp(sb, app, store.app(app));
                return Reply.ok(sb.toString());
            }
            if (method.equals(Methods.POST)) {
                return register(call, app);
            }
            throw ApiError.methodNotAllowed(method.toString());
        }
        String id = name(s.get(2), "id");
        if (method.equals(Methods.GET)) {
            StringBuilder sb = new StringBuilder(128);
            store.instance(app, id).writeTo(sb, clock.getAsLong());
            return Reply.ok(sb.toString());
        }
        if (method.equals(Methods.PUT)) {
            store.renew(app, id);
            return Reply.noContent(null);
        }
        if (method.equals(Methods.DELETE)) {
            return Reply.after(store.outOfService(app, id), Reply.noContent(null));
        }
        throw ApiError.methodNotAllowed(method.toString());
    }

    private Reply register(Call call, String app) {
        JsonNode body = Fields.object(call.body(), INSTANCE_FIELDS);
        String id = Fields.string(body, "id", NAME, 1, 255);
        String ip = Fields.string(body, "ip", null, 1, 255);
        int port = Fields.integer(body, "port", 1, 65535);
        return Reply.after(
                store.register(app, id, ip, port),
                Reply.created(call.base() + "/registro/1.0/apps/" + app + "/" + id, "{}"));
    }

    private static String name(String segment, String what) {
        if (!NAME.matcher(segment).matches()) {
            throw ApiError.invalidParameter(what);
        }
        return segment;
    }

    private String allApps() {
        StringBuilder sb = new StringBuilder(512).append("{\"applications\":[");
        boolean first = true;
        for (Map.Entry<String, ConcurrentSkipListMap<String, RegistroInstance>> e :
                store.apps().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeApp(sb, e.getKey(), e.getValue());
        }
        return sb.append("]}").toString();
    }

    private void writeApp(StringBuilder sb, String name, ConcurrentSkipListMap<String, RegistroInstance> instances) {
        long now = clock.getAsLong();
        sb.append("{\"name\":");
        JsonText.string(sb, name);
        sb.append(",\"instances\":[");
        boolean first = true;
        for (RegistroInstance i : instances.values()) {
            if (!i.visibleAt(now)) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            i.writeTo(sb, now);
        }
        sb.append("]}");
    }
}
