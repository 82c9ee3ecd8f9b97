package io.autoreg.core.backend.serviceregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.backend.RegistryBackend;
import io.autoreg.core.http.HttpClients;
import io.autoreg.core.model.ServiceInstance;
import io.autoreg.core.settings.RegistrySettings;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default backend: the Service Registry API of the {@code registry} module (service generation,
 * spec §3). A registration is a service with its own {@code heartbeat_timeout}; every heartbeat
 * consumes the current token and returns the next one, which the lease keeps.
 *
 * <p><b>A duplicate id is not deleted.</b> {@code 400 serviceWithThisIdExists} on register usually
 * means our own previous incarnation crashed and its entry has not expired yet — but it may just as
 * well be another live instance configured with the same id. Deleting it would make the two flip-flop
 * each other out of the registry, so this backend throws an IOException instead and lets the lifecycle
 * retry with backoff until the stale entry expires (at most one heartbeat timeout).
 *
 * <p>The service name travels in metadata key {@value #NAME_KEY}, since the API has no name field.
 */
public final class ServiceRegistryBackend implements RegistryBackend {

    public static final String NAME_KEY = "service_name";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpUrl base;
    private final OkHttpClient http;
    private final TokenSource tokens;

    public ServiceRegistryBackend(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public ServiceRegistryBackend(RegistrySettings settings, OkHttpClient http) {
        HttpUrl url = HttpUrl.parse(settings.url());
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + settings.url());
        }
        this.base = url;
        this.http = http;
        this.tokens = TokenSource.from(settings, http);
    }

    @Override
    public String type() {
        return "service-registry";
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("id", instance.id());
        body.put("heartbeat_timeout", Math.max(3, Math.min(120, ttl.toSeconds())));
        body.set("tags", MAPPER.valueToTree(instance.tags()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(NAME_KEY, instance.name());
        metadata.putAll(instance.metadata());
        body.set("metadata", MAPPER.valueToTree(metadata));
        try (Response response = call("POST", url("services"), body)) {
            JsonNode answer = json(response);
            if (response.code() == 201) {
                return new ServiceRegistryLease(instance, answer.path("token").asText(null));
            }
            if (response.code() == 400 && "serviceWithThisIdExists".equals(answer.path("type").asText())) {
                throw new IOException("service " + instance.id() + " is still registered (a previous run that"
                        + " has not expired yet, or another instance with the same id); retrying until it expires");
            }
            throw failure("register " + instance.id(), response, answer);
        }
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        ServiceRegistryLease l = (ServiceRegistryLease) lease;
        ObjectNode body = MAPPER.createObjectNode();
        body.put("token", l.token());
        try (Response response = call("POST", url("services", l.instance().id(), "heartbeat"), body)) {
            JsonNode answer = json(response);
            if (response.code() == 200) {
                l.token(answer.path("token").asText(null));
                return true;
            }
            if (response.code() == 404) {
                return false;
            }
            throw failure("heartbeat " + l.instance().id(), response, answer);
        }
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        try (Response response = call("DELETE", url("services", lease.instance().id()), null)) {
            if (response.code() != 204 && response.code() != 404) {
                throw failure("deregister " + lease.instance().id(), response, json(response));
            }
        }
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    /** One call; on 401 with credentials it authenticates again and retries once (spec §7). */
    private Response call(String method, HttpUrl url, JsonNode body) throws IOException {
        Response response = http.newCall(request(method, url, body, tokens.token(false))).execute();
        if (response.code() == 401 && tokens.canRefresh()) {
            response.close();
            response = http.newCall(request(method, url, body, tokens.token(true))).execute();
        }
        return response;
    }

    private static Request request(String method, HttpUrl url, JsonNode body, String token) throws IOException {
        Request.Builder b = new Request.Builder().url(url)
                .method(method, body == null ? null : RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        return b.build();
    }

    private static JsonNode json(Response response) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return MAPPER.missingNode();
        }
        byte[] bytes = body.bytes();
        if (bytes.length == 0) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    private static IOException failure(String what, Response response, JsonNode fault) {
        String detail = fault.isMissingNode() ? "" : " " + fault.path("type").asText("")
                + ": " + fault.path("message").asText("") + " " + fault.path("details").asText("");
        return new IOException(what + " failed: HTTP " + response.code() + detail.stripTrailing());
    }
}
