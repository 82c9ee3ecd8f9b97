package io.autoreg.registry.http;

import io.autoreg.registry.metrics.Metrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The root handler: resolves the route, checks access, reads the bounded body without blocking,
 * runs the route on the IO thread and writes the reply (later, if the route waits for the journal).
 */
public final class ApiHandler implements HttpHandler {
    private final Map<String, Route> tenantResources;
    private final Map<String, Route> plainPaths;
    private final Map<String, TenantLabels> tenantLabels = new java.util.HashMap<>();
    private final String[] resourceNames;
    private final Route registro;
    private final Access access;
    private final AllowedHosts allowedHosts;
    private final Metrics metrics;
    /**
     * One completion listener per route label, made once: counting a request then costs neither an
     * attachment map nor a new label string per exchange. Labels of unknown sub-paths are not kept
     * (a client could make up any number of them).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, io.undertow.server.ExchangeCompletionListener>
            counters = new java.util.concurrent.ConcurrentHashMap<>();

    private final io.undertow.server.ExchangeCompletionListener countUnmatched;
    private static final int MAX_COUNTERS = 512;

    public ApiHandler(
            Map<String, Route> tenantResources,
            Map<String, Route> plainPaths,
            Route registro,
            Access access,
            AllowedHosts allowedHosts,
            Metrics metrics) {
        this.tenantResources = Map.copyOf(tenantResources);
        this.plainPaths = Map.copyOf(plainPaths);
        this.registro = registro;
        this.access = access;
        this.allowedHosts = allowedHosts;
        this.metrics = metrics;
        this.countUnmatched = counter("unmatched");
        this.tenantResources.keySet().forEach(resource -> tenantLabels.put(resource, new TenantLabels(resource)));
        this.resourceNames = this.tenantResources.keySet().toArray(new String[0]);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Replies.assignResponseId(exchange);
        // Every route reads the query through Call (our UrlDecoding), never Undertow's parsed copy; dropped here
        // so that an exchange kept open (a parked long poll, an event stream) does not keep it alive: 369 of the 838
        // bytes a parked long poll held (docs/benchmarks.md, "Watchers").
        exchange.getQueryParameters().clear();
        boolean counted = false;
        try {
            Bodies.refuseUnreadableFraming(exchange);
            allowedHosts.check(exchange);
            Endpoint endpoint = resolve(exchange);
            exchange.addExchangeCompleteListener(counterOf(endpoint.label()));
            counted = true;
            if (endpoint.tenantScoped()) {
                access.checkTenant(exchange, endpoint.call().tenant(), metering(endpoint.call()));
            } else if (endpoint.route() == registro) {
                access.checkRegistro(exchange, registroMetering(endpoint.call()));
            }
            if (exchange.getRequestMethod().equals(Methods.POST)
                    || exchange.getRequestMethod().equals(Methods.PUT)) {
                Bodies.read(exchange, (x, bytes) -> run(endpoint, bytes), Replies::fault);
            } else {
                run(endpoint, null);
            }
        } catch (ApiError e) {
            if (!counted) {
                exchange.addExchangeCompleteListener(countUnmatched);
            }
            Replies.fault(exchange, e);
        } catch (RuntimeException e) {
            if (!counted) {
                exchange.addExchangeCompleteListener(countUnmatched);
            }
            internalError(exchange, e);
        }
    }

    /**
     * A heartbeat ({@code POST …/services/{id}/heartbeat}, {@code …/sessions/{id}/heartbeat}) is never
     * metered: it is answered from memory, and refusing one would expire a live service.
     */
    /** Registro's renewal (PUT of an instance) is its heartbeat; the rest by method, as for tenant routes. */
    static Metering registroMetering(Call call) {
        io.undertow.util.HttpString method = call.method();
        if (method.equals(Methods.GET) || method.equals(Methods.HEAD)) {
            return Metering.READ;
        }
        return method.equals(Methods.PUT) && call.segments().size() == 3 ? Metering.HEARTBEAT : Metering.WRITE;
    }

    static Metering metering(Call call) {
        io.undertow.util.HttpString method = call.method();
        if (method.equals(Methods.GET) || method.equals(Methods.HEAD)) {
            return Metering.READ;
        }
        List<String> segments = call.segments();
        if (method.equals(Methods.POST)
                && segments.size() == 3
                && segments.get(2).equals("heartbeat")
                && (segments.get(0).equals("services") || segments.get(0).equals("sessions"))) {
            return Metering.HEARTBEAT;
        }
        return Metering.WRITE;
    }

    private io.undertow.server.ExchangeCompletionListener counterOf(String label) {
        io.undertow.server.ExchangeCompletionListener counter = counters.get(label);
        if (counter == null) {
            counter = counters.size() < MAX_COUNTERS ? counters.computeIfAbsent(label, this::counter) : counter(label);
        }
        return counter;
    }

    private io.undertow.server.ExchangeCompletionListener counter(String label) {
        Metrics.RouteMetrics route = metrics.route(label);
        return (exchange, next) -> {
            long start = exchange.getRequestStartTime(); // -1 unless the server records it
            route.request(exchange.getStatusCode(), start == -1 ? -1 : System.nanoTime() - start);
            next.proceed();
        };
    }

    private void run(Endpoint endpoint, byte[] bytes) {
        HttpServerExchange exchange = endpoint.call().exchange();
        try {
            endpoint.call().rawBody(bytes);
            Reply reply = endpoint.route().handle(endpoint.call());
            if (reply != null) { // null: the route wrote its answer itself (non-JSON, or a streamed list page)
                finish(exchange, reply);
            }
        } catch (ApiError e) {
            Replies.fault(exchange, e);
        } catch (RuntimeException e) {
            internalError(exchange, e);
        }
    }

    private static void finish(HttpServerExchange exchange, Reply reply) {
        if (reply.pending() == null) {
            Replies.send(exchange, reply);
            return;
        }
        exchange.dispatch(
                SameThreadExecutor.INSTANCE,
                () -> reply.pending()
                        .whenComplete((next, failure) -> exchange.getIoThread().execute(() -> {
                            if (failure == null) {
                                finish(exchange, next);
                            } else if (failure.getCause() instanceof ApiError e) {
                                Replies.fault(exchange, e);
                            } else if (failure instanceof ApiError e) {
                                Replies.fault(exchange, e);
                            } else {
                                internalError(exchange, failure);
                            }
                        })));
    }

    private static void internalError(HttpServerExchange exchange, Throwable e) {
        System.err.println("[autoreg] registry: internal error on " + exchange.getRequestMethod() + " "
                + exchange.getRequestPath() + ": " + e);
        if (!exchange.isResponseStarted()) {
            Replies.fault(exchange, ApiError.internal());
        }
    }

    private Endpoint resolve(HttpServerExchange exchange) {
        // getPathParameters() allocates a map when there are none; a URI without ';' cannot have any.
        if (exchange.getRequestURI().indexOf(';') >= 0
                && !exchange.getPathParameters().isEmpty()) {
            // Undertow takes ";name=value" out of the path; the API has no path parameters, so refuse them.
            throw ApiError.badRequest("Invalid request path", "Path parameters (';') are not part of this API");
        }
        String path = UrlDecoding.path(exchange.getRequestPath());
        Route plain = plainPaths.get(path);
        if (plain != null) {
            return new Endpoint(plain, new Call(exchange, null, List.of(), path), path, false);
        }
        if (path.startsWith("/registro/1.0/")) {
            List<String> segments = split(path.substring("/registro/1.0/".length()));
            return new Endpoint(
                    registro, new Call(exchange, null, segments, path), "/registro/1.0/" + template(segments), false);
        }
        if (path.startsWith("/v1.0/")) {
            // Positions in the path instead of substrings: a heartbeat makes only its tenant and id Strings
            // (docs/benchmarks.md, "Heartbeat tail", issue 16, part 2).
            int tenantEnd = path.indexOf('/', 6);
            if (tenantEnd > 0 && validTenant(path, 6, tenantEnd)) {
                int resourceStart = tenantEnd + 1;
                int resourceEnd = path.indexOf('/', resourceStart);
                String resource = resourceNamed(path, resourceStart, resourceEnd < 0 ? path.length() : resourceEnd);
                if (resource != null) {
                    int rawFrom = resourceEnd < 0 ? path.length() : resourceEnd + 1;
                    List<String> segments =
                            resource.equals("configuration") ? List.of(resource) : split(path, resourceStart, resource);
                    return new Endpoint(
                            tenantResources.get(resource),
                            new Call(exchange, path.substring(6, tenantEnd), segments, path, rawFrom),
                            tenantLabels.get(resource).of(segments, rawFrom == path.length()),
                            true);
                }
            }
        }
        throw ApiError.pageNotFound();
    }

    /** The tenant resource named by {@code path[from, to)}, or null. */
    private String resourceNamed(String path, int from, int to) {
        int n = to - from;
        for (String name : resourceNames) {
            if (name.length() == n && path.regionMatches(from, name, 0, n)) {
                return name;
            }
        }
        return null;
    }

    static boolean validTenant(String tenant) {
        return validTenant(tenant, 0, tenant.length());
    }

    /** {@code s[from, to)} is {@code [A-Za-z0-9_-]{1,64}}, checked without a regex: this runs on every request. */
    static boolean validTenant(String s, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Splits on '/', dropping one trailing empty segment ("services/" is "services"). */
    static List<String> split(String rest) {
        return split(rest, 0, null);
    }

    /**
     * {@link #split(String)} of {@code s} from {@code from}, where the first segment is known to equal
     * {@code first} (null: not known), and a "heartbeat" segment is the constant: neither is copied.
     */
    private static List<String> split(String s, int from, String first) {
        List<String> out = new ArrayList<>(4);
        int start = from;
        while (true) {
            int slash = s.indexOf('/', start);
            int end = slash < 0 ? s.length() : slash;
            out.add(start == from && first != null ? first : segment(s, start, end));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        if (out.size() > 1 && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static final String HEARTBEAT = "heartbeat";

    private static String segment(String s, int start, int end) {
        int n = end - start;
        if (n == HEARTBEAT.length() && s.regionMatches(start, HEARTBEAT, 0, n)) {
            return HEARTBEAT;
        }
        return s.substring(start, end);
    }

    /**
     * The metrics labels of one tenant resource, made once instead of per request (a heartbeat's label is
     * always "/v1.0/{tenant}/services/{id}/heartbeat").
     */
    private static final class TenantLabels {
        private static final int MAX_SUB_LABELS = 64;
        private final String resource;
        private final String collection;
        private final String item;
        private final java.util.concurrent.ConcurrentHashMap<String, String> subLabels =
                new java.util.concurrent.ConcurrentHashMap<>();

        TenantLabels(String resource) {
            this.resource = resource;
            this.collection = "/v1.0/{tenant}/" + resource;
            this.item = collection + "/{id}";
        }

        /** {@code nothingAfter}: the path ends at the resource name or the slash after it. */
        String of(List<String> segments, boolean nothingAfter) {
            if (resource.equals("configuration")) {
                return nothingAfter ? collection : item;
            }
            switch (segments.size()) {
                case 1:
                    return collection;
                case 2:
                    return item;
                case 3:
                    String sub = segments.get(2);
                    String label = subLabels.get(sub);
                    if (label == null) {
                        label = "/v1.0/{tenant}/" + template(segments);
                        if (subLabels.size() < MAX_SUB_LABELS) {
                            subLabels.putIfAbsent(sub, label);
                        }
                    }
                    return label;
                default:
                    return "/v1.0/{tenant}/" + template(segments);
            }
        }
    }

    private static String template(List<String> segments) {
        StringBuilder sb = new StringBuilder(segments.get(0));
        for (int i = 1; i < segments.size(); i++) {
            sb.append('/').append(i == 1 ? "{id}" : segments.get(i).length() <= 16 ? segments.get(i) : "{sub}");
        }
        return sb.toString();
    }
}
