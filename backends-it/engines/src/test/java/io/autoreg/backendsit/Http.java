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
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();

    boolean getOk(String url) {
        try (Response response = CLIENT.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.isSuccessful();
        } catch (IOException notYet) {
            return false;
        }
    }

    /** GET with {@code Accept: application/json}; null on 404. */
    JsonNode getJson(String url) throws IOException {
        Request request = new Request.Builder().url(url).header("Accept", "application/json").build();
        try (Response response = CLIENT.newCall(request).execute()) {
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
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create(MAPPER.writeValueAsBytes(body), MediaType.get("application/json"))).build();
        try (Response response = CLIENT.newCall(request).execute()) {
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
