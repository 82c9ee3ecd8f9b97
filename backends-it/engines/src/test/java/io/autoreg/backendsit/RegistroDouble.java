package io.autoreg.backendsit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autoreg.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A strict stand-in for Registro (github.com/mscansian/registro, its {@code server} package), answering
 * as that server does: the same routes, status codes and JSON, and the same rules —
 * <ul>
 *   <li>{@code POST /registro/1.0/apps} {@code {"name"}}: 201, 409 if the app exists (apps are never removed);</li>
 *   <li>{@code POST /registro/1.0/apps/{app}} {@code {"id","ip","port"}}: 404 without the app, 400 if id or ip
 *       is empty or port is 0, 409 if the id exists <em>whatever its status</em>, else 201 and the instance
 *       is {@code starting};</li>
 *   <li>{@code PUT …/{app}/{id}} renews: 403 if {@code out-of-service}, else 204, status {@code up};</li>
 *   <li>{@code DELETE …/{app}/{id}}: 204, status {@code out-of-service}, {@code lastRenewal} reset;</li>
 *   <li>once a second, an {@code up} instance more than 90 s past its {@code lastRenewal} turns {@code down}
 *       (no other status does), and any instance more than 10 minutes past it is removed.</li>
 * </ul>
 * Request bodies are read as Go's {@code encoding/json} reads them into Registro's structs (unknown fields
 * ignored, keys matched case-insensitively, a wrong type or trailing data is a 400); answers are Go's
 * {@code json.MarshalIndent(v, "", "  ")} plus a newline, sniffed as {@code text/plain; charset=utf-8},
 * and the router is gorilla/mux with {@code StrictSlash(true)} (301 to the path without the trailing
 * slash, {@code 404 page not found} elsewhere). Registro keeps everything in memory and has no
 * authentication.
 *
 * <p>Time is the double's own: it starts at the current second and moves only by {@link #advance}, so
 * the 90 s and 10 min rules are tested without waiting (and nothing expires while a test does not ask
 * for it). Every exchange is recorded with its wall-clock time, for tests that count or time calls.
 */
final class RegistroDouble implements AutoCloseable {

    static final String STARTING = "starting";
    static final String UP = "up";
    static final String DOWN = "down";
    static final String OUT_OF_SERVICE = "out-of-service";

    /** An instance as Registro holds it; {@code lastRenewal} in epoch seconds, as Registro serves it. */
    record Instance(String id, String ip, long port, String status, long lastRenewal) {}

    /** One request and the status answered, with its wall-clock time. */
    record Exchange(Instant at, String method, String path, int status) {}

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String PREFIX = "/registro/1.0";

    private final int port;
    private final Clock base = Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC);
    private final ScheduledExecutorService heartbeatLoop;
    private final List<Exchange> exchanges = new ArrayList<>();
    /** Registro's {@code []*Application}, each with its {@code []*Instance}, in order of creation. */
    private final List<App> apps = new ArrayList<>();

    private long offsetMillis;
    private HttpServer server;
    private ExecutorService handlers;

    private static final class App {
        final String name;
        final List<MutableInstance> instances = new ArrayList<>();

        App(String name) {
            this.name = name;
        }
    }

    private static final class MutableInstance {
        final String id;
        final String ip;
        final long port;
        String status = STARTING;
        long lastRenewal;

        MutableInstance(String id, String ip, long port, long now) {
            this.id = id;
            this.ip = ip;
            this.port = port;
            this.lastRenewal = now;
        }

        Instance snapshot() {
            return new Instance(id, ip, port, status, lastRenewal);
        }
    }

    private RegistroDouble(int port) {
        this.port = port;
        this.heartbeatLoop = Executors.newSingleThreadScheduledExecutor(daemon("registro-double-heartbeats"));
        // Registro's own loop: CheckHeartbeats, then wait a second. With the double's clock still, it changes
        // nothing between advances; it is here so that the double behaves like Registro if time is moved.
        heartbeatLoop.scheduleWithFixedDelay(this::checkHeartbeats, 1, 1, TimeUnit.SECONDS);
    }

    /** On a free loopback port. */
    static RegistroDouble start() {
        return start(FreePorts.next());
    }

    static RegistroDouble start(int port) {
        RegistroDouble registro = new RegistroDouble(port);
        registro.listen();
        return registro;
    }

    private void listen() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("registro double on port " + port, e);
        }
        handlers = Executors.newFixedThreadPool(4, daemon("registro-double-http"));
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code autoreg.registry.url}: the API base, {@code http://127.0.0.1:<port>/registro/1.0}. */
    String url() {
        return "http://127.0.0.1:" + port + PREFIX;
    }

    /** What Registro's Go client is given ({@code client.NewClient}); it appends {@code /1.0} itself. */
    String clientUrl() {
        return "http://127.0.0.1:" + port + "/registro";
    }

    /** The double's clock, in epoch seconds (Go's {@code time.Now().Unix()}). */
    synchronized long nowSeconds() {
        return Math.floorDiv(base.millis() + offsetMillis, 1000);
    }

    /** Moves the double's clock forward and runs Registro's heartbeat check, as its once-a-second loop would. */
    void advance(Duration duration) {
        synchronized (this) {
            offsetMillis += duration.toMillis();
        }
        checkHeartbeats();
    }

    /** Moves the clock to the given epoch second (never backwards) and runs the heartbeat check. */
    void advanceTo(long epochSecond) {
        synchronized (this) {
            long now = nowSeconds();
            if (epochSecond < now) {
                throw new IllegalArgumentException("the clock is at " + now + ", cannot go back to " + epochSecond);
            }
            offsetMillis += (epochSecond - now) * 1000;
        }
        checkHeartbeats();
    }

    /** The app's instances in Registro's order, or an empty list if the app does not exist. */
    synchronized List<Instance> instances(String app) {
        App found = app(app);
        return found == null
                ? List.of()
                : found.instances.stream().map(MutableInstance::snapshot).toList();
    }

    synchronized Optional<Instance> instance(String app, String id) {
        return instances(app).stream().filter(i -> i.id().equals(id)).findFirst();
    }

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** What a restart of Registro does: it keeps everything in memory, so it comes back empty. */
    void restartEmpty() {
        server.stop(0);
        handlers.shutdownNow();
        synchronized (this) {
            apps.clear();
        }
        listen();
    }

    @Override
    public void close() {
        heartbeatLoop.shutdownNow();
        if (server != null) {
            server.stop(0);
        }
        if (handlers != null) {
            handlers.shutdownNow();
        }
    }

    // ---- Registro's rules ----------------------------------------------------------------------------

    /** Server.CheckHeartbeats → Application.CheckHeartbeats → Instance.CheckHeartbeats. */
    synchronized void checkHeartbeats() {
        long now = nowSeconds();
        for (App app : apps) {
            Iterator<MutableInstance> it = app.instances.iterator();
            while (it.hasNext()) {
                MutableInstance instance = it.next();
                if (instance.status.equals(UP) && now > instance.lastRenewal + 90) {
                    instance.status = DOWN;
                }
                if (now > instance.lastRenewal + 60 * 10) {
                    it.remove();
                }
            }
        }
    }

    private App app(String name) {
        for (App app : apps) {
            if (app.name.equals(name)) {
                return app;
            }
        }
        return null;
    }

    private static MutableInstance instance(App app, String id) {
        for (MutableInstance instance : app.instances) {
            if (instance.id.equals(id)) {
                return instance;
            }
        }
        return null;
    }

    // ---- HTTP ------------------------------------------------------------------------------------------

    private record Answer(int status, String body, String contentType, String location) {
        static Answer code(int status) {
            return new Answer(status, "", null, null);
        }

        static Answer json(String json) {
            // Go writes the MarshalIndent text with Fprintln and sniffs its type: text, not JSON.
            return new Answer(200, json + "\n", "text/plain; charset=utf-8", null);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Answer answer = route(method, path, body);
            synchronized (this) {
                exchanges.add(new Exchange(Instant.now(), method, path, answer.status()));
            }
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().set("Location", answer.location());
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } finally {
            exchange.close();
        }
    }

    /** gorilla/mux with StrictSlash(true) and the three routes of Server.Serve. */
    private Answer route(String method, String path, byte[] body) {
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        String clean = cleanPath(path);
        if (!clean.equals(path)) {
            return new Answer(301, "", null, clean);
        }
        boolean trailingSlash = path.length() > 1 && path.endsWith("/");
        String trimmed = trailingSlash ? path.substring(0, path.length() - 1) : path;
        if (!trimmed.equals(PREFIX + "/apps") && !trimmed.startsWith(PREFIX + "/apps/")) {
            return notFound();
        }
        List<String> vars = new ArrayList<>();
        if (trimmed.length() > (PREFIX + "/apps").length()) {
            for (String segment :
                    trimmed.substring((PREFIX + "/apps/").length()).split("/", -1)) {
                if (segment.isEmpty()) {
                    return notFound();
                }
                vars.add(segment);
            }
        }
        if (vars.size() > 2) {
            return notFound();
        }
        if (trailingSlash) {
            return new Answer(301, "", null, trimmed);
        }
        synchronized (this) {
            return switch (vars.size()) {
                case 0 -> appsHandler(method, body);
                case 1 -> appHandler(method, vars.get(0), body);
                default -> instanceHandler(method, vars.get(0), vars.get(1));
            };
        }
    }

    private static Answer notFound() {
        return new Answer(404, "404 page not found\n", "text/plain; charset=utf-8", null);
    }

    /** Go's path.Clean, as mux applies it before matching. */
    private static String cleanPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        String clean = "/" + String.join("/", parts);
        // mux keeps a trailing slash that the request had
        return path.endsWith("/") && !clean.equals("/") ? clean + "/" : clean;
    }

    /** listAppsHandler. */
    private Answer appsHandler(String method, byte[] body) {
        switch (method) {
            case "GET":
                StringBuilder json = new StringBuilder("{\n  \"applications\": ");
                if (apps.isEmpty()) {
                    json.append("[]");
                } else {
                    json.append("[\n");
                    for (int i = 0; i < apps.size(); i++) {
                        writeApp(json, apps.get(i), "    ");
                        json.append(i + 1 < apps.size() ? ",\n" : "\n");
                    }
                    json.append("  ]");
                }
                return Answer.json(json.append("\n}").toString());
            case "POST":
                Map<String, Object> request = GoJson.decode(body, Map.of("name", String.class));
                if (request == null) {
                    return Answer.code(400);
                }
                String name = (String) request.getOrDefault("name", "");
                if (app(name) != null) {
                    return Answer.code(409);
                }
                apps.add(new App(name));
                return Answer.code(201);
            default:
                return Answer.code(405);
        }
    }

    /** viewAppHandler. */
    private Answer appHandler(String method, String name, byte[] body) {
        App app = app(name);
        if (app == null) {
            return Answer.code(404);
        }
        switch (method) {
            case "GET":
                StringBuilder json = new StringBuilder();
                writeApp(json, app, "");
                return Answer.json(json.toString());
            case "POST":
                Map<String, Object> request =
                        GoJson.decode(body, Map.of("id", String.class, "ip", String.class, "port", Long.class));
                if (request == null) {
                    return Answer.code(400);
                }
                String id = (String) request.getOrDefault("id", "");
                String ip = (String) request.getOrDefault("ip", "");
                long port = (Long) request.getOrDefault("port", 0L);
                if (id.isEmpty() || ip.isEmpty() || port == 0) {
                    return Answer.code(400);
                }
                if (instance(app, id) != null) {
                    return Answer.code(409);
                }
                app.instances.add(new MutableInstance(id, ip, port, nowSeconds()));
                return Answer.code(201);
            default:
                // Registro's handler writes nothing for other methods: Go answers 200 with no body.
                return Answer.code(200);
        }
    }

    /** viewInstanceHandler. */
    private Answer instanceHandler(String method, String appName, String id) {
        App app = app(appName);
        if (app == null) {
            return Answer.code(404);
        }
        MutableInstance instance = instance(app, id);
        if (instance == null) {
            return Answer.code(404);
        }
        switch (method) {
            case "GET":
                StringBuilder json = new StringBuilder();
                writeInstance(json, instance, "");
                return Answer.json(json.toString());
            case "PUT":
                if (instance.status.equals(OUT_OF_SERVICE)) {
                    return Answer.code(403);
                }
                instance.status = UP;
                instance.lastRenewal = nowSeconds();
                return Answer.code(204);
            case "DELETE":
                instance.status = OUT_OF_SERVICE;
                instance.lastRenewal = nowSeconds();
                return Answer.code(204);
            default:
                return Answer.code(200);
        }
    }

    /** An Application as MarshalIndent writes it: {@code instances} is {@code omitempty}. */
    private static void writeApp(StringBuilder json, App app, String indent) {
        json.append(indent).append("{\n").append(indent).append("  \"name\": ");
        GoJson.string(json, app.name);
        if (!app.instances.isEmpty()) {
            json.append(",\n").append(indent).append("  \"instances\": [\n");
            for (int i = 0; i < app.instances.size(); i++) {
                writeInstance(json, app.instances.get(i), indent + "    ");
                json.append(i + 1 < app.instances.size() ? ",\n" : "\n");
            }
            json.append(indent).append("  ]");
        }
        json.append('\n').append(indent).append('}');
    }

    private static void writeInstance(StringBuilder json, MutableInstance instance, String indent) {
        String inner = indent + "  ";
        json.append(indent).append("{\n");
        json.append(inner).append("\"id\": ");
        GoJson.string(json, instance.id);
        json.append(",\n").append(inner).append("\"ip\": ");
        GoJson.string(json, instance.ip);
        json.append(",\n").append(inner).append("\"port\": ").append(instance.port);
        json.append(",\n").append(inner).append("\"status\": ");
        GoJson.string(json, instance.status);
        json.append(",\n").append(inner).append("\"lastRenewal\": ").append(instance.lastRenewal);
        json.append('\n').append(indent).append('}');
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Go's encoding/json, as far as Registro's request structs and answers need it. */
    static final class GoJson {

        private GoJson() {}

        /**
         * {@code json.Unmarshal(body, &struct)} for a struct of string and int fields: the fields set, by
         * their declared names; null when Unmarshal would fail (not JSON, trailing data, a wrong type).
         * A JSON {@code null}, for the whole body or a field, leaves the zero values.
         */
        static Map<String, Object> decode(byte[] body, Map<String, Class<?>> fields) {
            JsonNode root;
            try {
                root = MAPPER.readTree(body);
            } catch (IOException notJson) {
                return null;
            }
            if (root == null || root.isMissingNode()) {
                return null; // "unexpected end of JSON input"
            }
            Map<String, Object> values = new java.util.HashMap<>();
            if (root.isNull()) {
                return values;
            }
            if (!root.isObject()) {
                return null;
            }
            boolean typeError = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = fieldFor(field.getKey(), fields);
                if (name == null) {
                    continue;
                }
                JsonNode value = field.getValue();
                if (value.isNull()) {
                    continue;
                }
                if (fields.get(name) == String.class && value.isTextual()) {
                    values.put(name, value.textValue());
                } else if (fields.get(name) == Long.class && value.isIntegralNumber() && value.canConvertToLong()) {
                    values.put(name, value.longValue());
                } else {
                    // Go goes on with the other fields but Unmarshal returns the error: Registro answers 400.
                    typeError = true;
                }
            }
            return typeError ? null : values;
        }

        /** The struct field a key fills: an exact match of its json tag, else a case-insensitive one. */
        private static String fieldFor(String key, Map<String, Class<?>> fields) {
            if (fields.containsKey(key)) {
                return key;
            }
            for (String name : fields.keySet()) {
                if (name.equalsIgnoreCase(key)) {
                    return name;
                }
            }
            return null;
        }

        /** A Go JSON string: HTML-safe escapes for {@code < > &}, U+2028 and U+2029 escaped too. */
        static void string(StringBuilder json, String text) {
            json.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    default -> {
                        if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                            json.append(String.format("\\u%04x", (int) c));
                        } else {
                            json.append(c);
                        }
                    }
                }
            }
            json.append('"');
        }
    }
}
