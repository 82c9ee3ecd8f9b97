package io.autoreg.agent.lite;

import io.autoreg.core.backend.RegistryBackend;
import io.autoreg.core.model.ServiceInstance;
import io.autoreg.core.settings.RegistrySettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service-registry backend on the JDK's {@link HttpURLConnection} (keep-alive pooled by the JDK)
 * with a few lines of JSON, for the agent's fast path: OkHttp, Kotlin and Jackson cost a cold host
 * JVM ~190 ms of CPU and ~21 MiB of RSS (measured with agent/bench). Same wire behaviour as the
 * core's {@code ServiceRegistryBackend}: the name travels in metadata {@code service_name}; a
 * duplicate id is not deleted but retried until the stale entry expires; 404 on heartbeat means
 * register again; delete is idempotent.
 */
public final class LiteServiceRegistryBackend implements RegistryBackend {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern FAULT_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

    private final String baseUrl;
    private final String token;
    private final int connectMillis;
    private final int readMillis;

    public LiteServiceRegistryBackend(RegistrySettings settings) {
        this.baseUrl = settings.url().endsWith("/") ? settings.url().substring(0, settings.url().length() - 1) : settings.url();
        this.token = settings.token();
        this.connectMillis = (int) settings.connectTimeout().toMillis();
        this.readMillis = (int) settings.requestTimeout().toMillis();
    }

    @Override
    public String type() {
        return "service-registry";
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("service_name", instance.name());
        metadata.putAll(instance.metadata());
        long seconds = Math.max(3, Math.min(120, ttl.toSeconds()));
        String body = "{\"id\":" + Json.string(instance.id()) + ",\"heartbeat_timeout\":" + seconds
                + ",\"tags\":" + Json.array(instance.tags()) + ",\"metadata\":" + Json.object(metadata) + "}";
        Answer answer = call("POST", "/services", body);
        if (answer.status == 201) {
            return new LiteLease(instance, token(answer));
        }
        if (answer.status == 400 && "serviceWithThisIdExists".equals(faultType(answer))) {
            throw new IOException("service " + instance.id() + " is still registered (a previous run that has not"
                    + " expired yet, or another instance with the same id); retrying until it expires");
        }
        throw unexpected("register " + instance.id(), answer);
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        LiteLease l = (LiteLease) lease;
        Answer answer = call("POST", "/services/" + encode(l.instance().id()) + "/heartbeat",
                "{\"token\":" + Json.string(l.token) + "}");
        if (answer.status == 200) {
            l.token = token(answer);
            return true;
        }
        if (answer.status == 404) {
            return false;
        }
        throw unexpected("heartbeat " + l.instance().id(), answer);
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        Answer answer = call("DELETE", "/services/" + encode(lease.instance().id()), null);
        if (answer.status != 204 && answer.status != 404) {
            throw unexpected("deregister " + lease.instance().id(), answer);
        }
    }

    private Answer call(String method, String path, String json) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(baseUrl + path).openConnection();
        connection.setConnectTimeout(connectMillis);
        connection.setReadTimeout(readMillis);
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod(method);
        connection.setRequestProperty("Accept", "application/json");
        if (token != null) {
            connection.setRequestProperty("X-Auth-Token", token);
        }
        if (json != null) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(bytes.length);
            connection.setRequestProperty("Content-Type", "application/json; charset=UTF-8");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String body = "";
        if (in != null) {
            // read to the end and close, so the connection goes back to the JDK's keep-alive cache
            try (InputStream stream = in) {
                body = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new Answer(status, body);
    }

    private static String token(Answer answer) throws IOException {
        Matcher m = TOKEN.matcher(answer.body);
        if (!m.find()) {
            throw new IOException("no token in the registry's answer: " + answer.body);
        }
        return m.group(1);
    }

    private static String faultType(Answer answer) {
        Matcher m = FAULT_TYPE.matcher(answer.body);
        return m.find() ? m.group(1) : null;
    }

    private static IOException unexpected(String what, Answer answer) {
        String body = answer.body.length() > 300 ? answer.body.substring(0, 300) + "…" : answer.body;
        return new IOException(what + ": HTTP " + answer.status + " " + body);
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private record Answer(int status, String body) {
    }

    private static final class LiteLease implements Lease {
        private final ServiceInstance instance;
        private volatile String token;

        LiteLease(ServiceInstance instance, String token) {
            this.instance = instance;
            this.token = token;
        }

        @Override
        public ServiceInstance instance() {
            return instance;
        }
    }

    /** The JSON this client writes: strings, string arrays and string maps. */
    static final class Json {
        private Json() {
        }

        static String string(String s) {
            StringBuilder out = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"': out.append("\\\""); break;
                    case '\\': out.append("\\\\"); break;
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    case '\t': out.append("\\t"); break;
                    default:
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                }
            }
            return out.append('"').toString();
        }

        static String array(List<String> values) {
            StringBuilder out = new StringBuilder("[");
            for (String v : values) {
                out.append(out.length() > 1 ? "," : "").append(string(v));
            }
            return out.append(']').toString();
        }

        static String object(Map<String, String> values) {
            StringBuilder out = new StringBuilder("{");
            values.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(string(k)).append(':').append(string(v)));
            return out.append('}').toString();
        }
    }
}
