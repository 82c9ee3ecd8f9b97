package io.autoreg.agent.lite;

import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The etcd backend on {@link LiteHttp}, for the agent's fast path: the core's {@code EtcdRegistry} speaks the same
 * JSON gateway through OkHttp and Jackson, whose ~800 classes a cold host JVM loads and verifies for four kinds of
 * request (docs/benchmarks.md, "etcd and Eureka through the agent's light clients"). Same wire behaviour as the
 * core's: the instance JSON under {@code <prefix>/<name>/<id>} on a lease of its own granted for three renewal
 * intervals, renewed by one keepalive
 * (an answer without a TTL means the lease is gone: register again), removed by one revoke (idempotent); with a user,
 * a token from {@code /v3/auth/authenticate} in {@code Authorization}, fetched again once when etcd rejects it. What
 * this client does not speak (TLS, a URL with user info) stays with the core's.
 */
public final class LiteEtcdBackend extends LiteBackend {

    static final String TYPE = "etcd";
    /** The core's {@code EtcdRegistry.DEFAULT_PREFIX}: both write where consumers look. */
    static final String DEFAULT_PREFIX = "/autoreg/services";
    /** gRPC NOT_FOUND: a lease etcd no longer knows (the gateway answers 404). */
    private static final int GRPC_NOT_FOUND = 5;
    /** gRPC UNAUTHENTICATED: an expired or unknown token. */
    private static final int GRPC_UNAUTHENTICATED = 16;

    private final String prefix;
    private final String username;
    private final String password;
    /** The current auth token; null before the first call, or after etcd rejected it. Guarded by this. */
    private String token;

    /** Whether this client speaks to etcd as the core's would: plain HTTP, no user info in the URL, no TLS files. */
    public static boolean serves(RegistrySettings settings) {
        return TYPE.equals(settings.type()) && LiteHttp.canSpeakTo(settings);
    }

    public LiteEtcdBackend(RegistrySettings settings) {
        super(TYPE, LiteServers.forRegistry(TYPE, settings, "Authorization"));
        String configured =
                settings.options() == null ? null : settings.options().get("prefix");
        String p = configured == null ? DEFAULT_PREFIX : configured;
        this.prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        this.username = settings.username();
        this.password = settings.apiKey();
    }

    /** The key of an instance: {@code <prefix>/<name>/<id>}. */
    String keyOf(ServiceInstance instance) {
        return prefix + "/" + instance.name() + "/" + instance.id();
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        long seconds = HeartbeatSettings.leaseSeconds(ttl);
        String granted = post("/v3/lease/grant", "{\"TTL\":" + seconds + "}");
        String leaseId = LiteJson.scalarField(granted, "ID");
        if (leaseId == null || leaseId.isEmpty()) {
            throw new IOException("etcd lease/grant answered without an ID: " + granted);
        }
        post(
                "/v3/kv/put",
                "{\"key\":" + LiteJson.string(base64(keyOf(instance))) + ",\"value\":"
                        + LiteJson.string(base64(instanceJson(instance))) + ",\"lease\":" + LiteJson.string(leaseId)
                        + "}");
        return new EtcdLease(instance, leaseId);
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        String answer;
        try {
            answer = post("/v3/lease/keepalive", "{\"ID\":" + LiteJson.string(((EtcdLease) lease).leaseId) + "}");
        } catch (LeaseNotFoundException gone) {
            return false;
        }
        // zero values are left out of the gateway's JSON: no TTL is TTL 0, etcd's answer for a lease it lost
        return LiteJson.longField(answer, "TTL", 0) > 0;
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        try {
            post("/v3/lease/revoke", "{\"ID\":" + LiteJson.string(((EtcdLease) lease).leaseId) + "}");
        } catch (LeaseNotFoundException alreadyGone) {
            // expired or revoked before: the key is gone either way
        }
    }

    /** The value under an instance's key, field for field the core's {@code EtcdInstanceJson}. */
    static String instanceJson(ServiceInstance instance) {
        return "{\"id\":" + LiteJson.string(instance.id()) + ",\"name\":" + LiteJson.string(instance.name())
                + ",\"address\":" + LiteJson.string(instance.address()) + ",\"port\":" + instance.port()
                + ",\"tags\":" + LiteJson.array(instance.tags()) + ",\"metadata\":"
                + LiteJson.object(instance.metadata()) + "}";
    }

    private String post(String path, String json) throws IOException {
        IOException unauthenticated = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            String sent = token();
            LiteHttp.Answer answer = http.call("POST", path, json, sent);
            if (answer.ok()) {
                return answer.body();
            }
            long code = LiteJson.longField(answer.body(), "code", -1);
            if (answer.status() == 404 && code == GRPC_NOT_FOUND) {
                throw new LeaseNotFoundException("etcd " + path + ": " + answer.body());
            }
            if ((answer.status() == 401 || code == GRPC_UNAUTHENTICATED) && sent != null) {
                // simple tokens expire (5 min by default): authenticate again once and retry
                forget(sent);
                unauthenticated = new IOException("etcd " + path + " rejected the token: " + answer.body());
                continue;
            }
            throw failure(path, answer);
        }
        throw unauthenticated;
    }

    private synchronized String token() throws IOException {
        if (username == null) {
            return null;
        }
        if (token == null) {
            LiteHttp.Answer answer = http.call(
                    "POST",
                    "/v3/auth/authenticate",
                    "{\"name\":" + LiteJson.string(username) + ",\"password\":"
                            + LiteJson.string(password == null ? "" : password) + "}",
                    null);
            if (!answer.ok()) {
                throw failure("authentication as '" + username + "'", answer);
            }
            String issued = LiteJson.scalarField(answer.body(), "token");
            if (issued == null || issued.isEmpty()) {
                throw new IOException("etcd authentication answered without a token: " + answer.body());
            }
            token = issued;
        }
        return token;
    }

    /** Forgets a rejected token, unless another thread already replaced it. */
    private synchronized void forget(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    /**
     * As the core's {@code EtcdRegistry.isRefusal}: a lasting 4xx is a {@link RefusedException} (INVALID_ARGUMENT 400 —
     * a value over etcd's limits, a wrong password —, PERMISSION_DENIED 403), and RESOURCE_EXHAUSTED 429 only when the
     * database is full; not 401 (an expired token) or 409 (a conflict that passes).
     */
    static boolean isRefusal(int status, String body) {
        if (status == 429) {
            return body.contains("database space exceeded");
        }
        if (status == 401 || status == 409) {
            return false;
        }
        return RefusedException.isRefusal(status, null);
    }

    private static IOException failure(String what, LiteHttp.Answer answer) {
        return LiteHttp.failure(TYPE, what, answer, isRefusal(answer.status(), answer.body()));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A 404 with gRPC code 5: the lease expired or was revoked. */
    private static final class LeaseNotFoundException extends IOException {
        private static final long serialVersionUID = 1L;

        LeaseNotFoundException(String message) {
            super(message);
        }
    }

    /** The lease id is a 64-bit number, kept as the decimal text the gateway writes. */
    private static final class EtcdLease implements Lease {
        private final ServiceInstance instance;
        private final String leaseId;

        EtcdLease(ServiceInstance instance, String leaseId) {
            this.instance = instance;
            this.leaseId = leaseId;
        }

        @Override
        public ServiceInstance instance() {
            return instance;
        }
    }
}
