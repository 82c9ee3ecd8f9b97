package io.autoreg.core.internal.backend.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.http.JsonHttp;
import java.io.IOException;

/**
 * etcd username/password authentication: {@code POST /v3/auth/authenticate} gives a token that every
 * later call sends in the {@code Authorization} header. The token is cached until etcd rejects it.
 */
final class EtcdAuth {

    /** gRPC status UNAUTHENTICATED ("invalid auth token"). */
    private static final int GRPC_UNAUTHENTICATED = 16;

    private final JsonHttp http;
    private final String username;
    private final String password;
    private String token;

    EtcdAuth(JsonHttp http, String username, String password) {
        this.http = http;
        this.username = username;
        this.password = password;
    }

    /** The current token, authenticating first when needed; null when no username is configured. */
    synchronized String token() throws IOException {
        if (username == null) {
            return null;
        }
        if (token == null) {
            token = authenticate();
        }
        return token;
    }

    /** Forgets a rejected token, unless another thread already replaced it. */
    synchronized void invalidate(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    static boolean isTokenRejected(int httpCode, JsonNode error) {
        return httpCode == 401 || error.path("code").asInt() == GRPC_UNAUTHENTICATED;
    }

    /** A wrong name or password is INVALID_ARGUMENT (400): a refusal (EtcdRegistry.isRefusal). */
    private String authenticate() throws IOException {
        JsonNode answer = http.post(
                        http.url("v3/auth/authenticate"),
                        JsonHttp.object().put("name", username).put("password", password == null ? "" : password))
                .expect("authentication as '" + username + "'")
                .json();
        String issued = answer.path("token").asText("");
        if (issued.isEmpty()) {
            throw new IOException("etcd authentication answered without a token: " + answer);
        }
        return issued;
    }
}
