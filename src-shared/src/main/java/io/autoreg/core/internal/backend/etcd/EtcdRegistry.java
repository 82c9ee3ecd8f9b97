package io.autoreg.core.internal.backend.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.backend.http.JsonHttp;
import io.autoreg.core.internal.backend.http.JsonHttp.Answer;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import okhttp3.Headers;
import okhttp3.OkHttpClient;

/**
 * etcd v3 through its JSON gateway ({@code POST /v3/...}), so the agent carries no gRPC stack.
 *
 * <p>Each instance is the key {@code <prefix>/<name>/<id>} (prefix option {@code autoreg.registry.etcd.prefix},
 * default {@value #DEFAULT_PREFIX}) holding the instance JSON, attached to a lease of its own: renewing is
 * one keepalive, deregistering is one revoke (which deletes the key at once), and a crashed process
 * simply stops keeping the lease alive. The lease is granted with three times the lifecycle's renewal
 * interval, so that the keepalives come at TTL/3 and two of them may be lost before the key expires.
 */
public final class EtcdRegistry implements RegistryBackend {

    public static final String TYPE = "etcd";
    public static final String DEFAULT_PREFIX = "/autoreg/services";
    /** gRPC status NOT_FOUND, which the gateway returns (as HTTP 404) for a lease it no longer knows. */
    private static final int GRPC_NOT_FOUND = 5;

    private final String prefix;
    private final JsonHttp http;
    private final EtcdAuth auth;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public EtcdRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    /** Over the given client as it is (tests). */
    public EtcdRegistry(RegistrySettings settings, OkHttpClient http) {
        this.prefix = stripTrailingSlash(
                settings.options() == null
                        ? DEFAULT_PREFIX
                        : settings.options().getOrDefault("prefix", DEFAULT_PREFIX));
        this.http = JsonHttp.builder(TYPE, settings.urls(), http)
                .refusal(EtcdRegistry::isRefusal)
                .build();
        this.auth = new EtcdAuth(this.http, settings.username(), settings.apiKey());
    }

    /**
     * The answers of the gateway (gRPC status → HTTP as grpc-gateway maps them) that no retry gets past:
     * every lasting 4xx (INVALID_ARGUMENT 400 — a value over etcd's limits, a wrong password —,
     * PERMISSION_DENIED 403 — a user without a role on the prefix), and RESOURCE_EXHAUSTED (429) only when
     * the database is full: until an operator compacts and disarms the NOSPACE alarm every write fails, while
     * "too many requests" passes. Not UNAUTHENTICATED (401, an expired token: {@link #post} authenticates
     * again) and not ABORTED or ALREADY_EXISTS (409, a conflict that passes).
     */
    static boolean isRefusal(Answer answer) {
        return switch (answer.code()) {
            case 429 -> answer.body().contains("database space exceeded");
            case 401, 409 -> false;
            default -> JsonHttp.LASTING_4XX.test(answer);
        };
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The key of an instance: {@code <prefix>/<name>/<id>}. */
    public String keyOf(ServiceInstance instance) {
        return prefix + "/" + instance.name() + "/" + instance.id();
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        long leaseTtlSeconds = leaseTtlFor(ttl);
        ObjectNode grant = JsonHttp.object().put("TTL", leaseTtlSeconds);
        JsonNode granted = post("v3/lease/grant", grant);
        String leaseId = granted.path("ID").asText("");
        if (leaseId.isEmpty()) {
            throw new IOException("etcd lease/grant answered without an ID: " + granted);
        }
        ObjectNode put = JsonHttp.object()
                .put("key", base64(keyOf(instance)))
                .put("value", base64(EtcdInstanceJson.of(instance)))
                .put("lease", leaseId);
        post("v3/kv/put", put);
        return new EtcdLease(instance, leaseId, leaseTtlSeconds);
    }

    /**
     * Three renewal intervals of the lifecycle (which derives them from {@code ttl}), in whole seconds:
     * keepalives then arrive at TTL/3.
     */
    static long leaseTtlFor(Duration ttl) {
        return HeartbeatSettings.leaseSeconds(ttl);
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        EtcdLease etcdLease = (EtcdLease) lease;
        ObjectNode keepalive = JsonHttp.object().put("ID", etcdLease.leaseId());
        JsonNode answer;
        try {
            answer = post("v3/lease/keepalive", keepalive);
        } catch (LeaseNotFoundException gone) {
            return false;
        }
        // Zero values are left out of the gateway's JSON: an answer without TTL means TTL 0, the lease is gone.
        JsonNode result = answer.has("result") ? answer.get("result") : answer;
        return result.path("TTL").asLong(0) > 0;
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        EtcdLease etcdLease = (EtcdLease) lease;
        try {
            post("v3/lease/revoke", JsonHttp.object().put("ID", etcdLease.leaseId()));
        } catch (LeaseNotFoundException alreadyGone) {
            // Expired or revoked before: the key is gone either way.
        }
    }

    private JsonNode post(String path, ObjectNode body) throws IOException {
        IOException unauthenticated = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            String token = auth.token();
            Answer answer = http.send(
                    "POST", http.url(path), body, token == null ? Headers.of() : Headers.of("Authorization", token));
            if (answer.ok()) {
                return answer.json();
            }
            JsonNode error = answer.jsonOrEmpty();
            if (answer.code() == 404 && error.path("code").asInt() == GRPC_NOT_FOUND) {
                throw new LeaseNotFoundException("etcd /" + path + ": " + answer.body());
            }
            if (EtcdAuth.isTokenRejected(answer.code(), error) && token != null) {
                // Simple tokens expire (5 min by default): authenticate again once and retry.
                auth.invalidate(token);
                unauthenticated = new IOException("etcd /" + path + " rejected the token: " + answer.body());
                continue;
            }
            throw answer.failure("/" + path);
        }
        throw unauthenticated;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** A 404 with gRPC code 5: the lease expired or was revoked. */
    static final class LeaseNotFoundException extends IOException {
        private static final long serialVersionUID = 1L;

        LeaseNotFoundException(String message) {
            super(message);
        }
    }

    /** The lease id is a 64-bit number, kept as the decimal string the gateway uses. */
    record EtcdLease(ServiceInstance instance, String leaseId, long ttlSeconds) implements Lease {}
}
