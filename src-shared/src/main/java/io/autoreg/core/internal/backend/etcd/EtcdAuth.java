package io.autoreg.core.internal.backend.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.util.Map;

/**
 * etcd username/password authentication: {@code POST /v3/auth/authenticate} gives a token that every
 * later call sends in the {@code Authorization} header. The token is cached until etcd rejects it.
 */
final class EtcdAuth {

    /** gRPC status UNAUTHENTICATED ("invalid auth token"). */
    private static final int GRPC_UNAUTHENTICATED = 16;
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final String username;
    private final String password;
    private final OkHttpClient http;
    private String token;

    EtcdAuth(String baseUrl, String username, String password, OkHttpClient http) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        this.http = http;
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

    private String authenticate() throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(Map.of("name", username, "password", password == null ? "" : password));
        Request request = new Request.Builder()
                .url(baseUrl + "/v3/auth/authenticate")
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException("etcd authentication as '" + username + "' failed with "
                        + response.code() + ": " + text);
            }
            String issued = MAPPER.readTree(text).path("token").asText("");
            if (issued.isEmpty()) {
                throw new IOException("etcd authentication answered without a token: " + text);
            }
            return issued;
        }
    }
}
