package io.autoreg.backendsit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;

/** A consumer's plain HTTP calls to the engines (not the backends' code). */
final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OkHttpClient PLAIN = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();

    private final OkHttpClient client;
    private final String authorization;

    Http() {
        this(PLAIN, null);
    }

    /** Over another client (TLS), sending an {@code Authorization} header when not null. */
    Http(OkHttpClient client, String authorization) {
        this.client = client;
        this.authorization = authorization;
    }

    private Request.Builder request(String url) {
        Request.Builder builder = new Request.Builder().url(url);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    boolean getOk(String url) {
        try (Response response = client.newCall(request(url).build()).execute()) {
            return response.isSuccessful();
        } catch (IOException notYet) {
            return false;
        }
    }

    /** GET with {@code Accept: application/json}; null on 404. */
    JsonNode getJson(String url) throws IOException {
        Request request = request(url).header("Accept", "application/json").build();
        try (Response response = client.newCall(request).execute()) {
            if (response.code() == 404) {
                return null;
            }
            if (!response.isSuccessful()) {
                throw new IOException("GET " + url + " -> " + response.code());
            }
            return MAPPER.readTree(response.body().string());
        }
    }

    JsonNode postJson(String url, JsonNode body) throws IOException {
        Request request = request(url)
                .post(RequestBody.create(MAPPER.writeValueAsBytes(body), MediaType.get("application/json"))).build();
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("POST " + url + " -> " + response.code() + " " + response.body().string());
            }
            return MAPPER.readTree(response.body().string());
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
