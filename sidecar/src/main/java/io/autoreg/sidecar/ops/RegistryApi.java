package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.Map;

/**
 * The few raw calls the operator CLI makes, answering the API's JSON as trees so every command can print
 * any field in any format. Authentication: a static token, or username + api key exchanged at the token
 * endpoint (§7), obtained again once on a 401.
 */
final class RegistryApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Credentials credentials;
    private String token;

    RegistryApi(OkHttpClient http, String baseUrl, Credentials credentials) {
        this.http = http;
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("registry url is not an http(s) URL: " + baseUrl);
        }
        this.base = parsed;
        this.credentials = credentials;
        this.token = credentials.token();
    }

    /** Username + api key for the token endpoint, or a static token; all may be null (an open registry). */
    record Credentials(String token, String username, String apiKey, String authUrl) {
    }

    /** A URL under the tenant base; {@code path} segments are appended as given, slashes included. */
    HttpUrl.Builder url(String path) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : path.split("/", -1)) {
            if (!segment.isEmpty()) {
                url.addPathSegment(segment);
            }
        }
        if (path.endsWith("/")) {
            url.addPathSegment("");
        }
        return url;
    }

    JsonNode get(HttpUrl url) throws IOException, ApiException {
        return call(new Request.Builder().url(url).get());
    }

    JsonNode get(String path, Map<String, String> query) throws IOException, ApiException {
        HttpUrl.Builder url = url(path);
        query.forEach((k, v) -> {
            if (v != null) {
                url.addQueryParameter(k, v);
            }
        });
        return get(url.build());
    }

    void put(String path, JsonNode body) throws IOException, ApiException {
        call(new Request.Builder().url(url(path).build()).put(RequestBody.create(body.toString(), JSON)));
    }

    void delete(String path) throws IOException, ApiException {
        call(new Request.Builder().url(url(path).build()).delete());
    }

    private JsonNode call(Request.Builder request) throws IOException, ApiException {
        try {
            return send(request);
        } catch (ApiException e) {
            if (e.status() == 401 && credentials.username() != null) {
                token = null;
                return send(request);
            }
            throw e;
        }
    }

    private JsonNode send(Request.Builder request) throws IOException, ApiException {
        String current = currentToken();
        if (current != null) {
            request.header("X-Auth-Token", current);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return answer(response);
        }
    }

    private synchronized String currentToken() throws IOException, ApiException {
        if (token == null && credentials.username() != null && credentials.apiKey() != null) {
            token = authenticate();
        }
        return token;
    }

    private String authenticate() throws IOException, ApiException {
        String authUrl = credentials.authUrl() != null ? credentials.authUrl()
                : base.newBuilder().encodedPath("/v2.0/tokens").build().toString();
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("auth").putObject("RAX-KSKEY:apiKeyCredentials")
                .put("username", credentials.username()).put("apiKey", credentials.apiKey());
        Request request = new Request.Builder().url(authUrl).post(RequestBody.create(body.toString(), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            return answer(response).path("access").path("token").path("id").asText(null);
        }
    }

    private static JsonNode answer(Response response) throws IOException, ApiException {
        ResponseBody body = response.body();
        String text = body == null ? "" : body.string();
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = MAPPER.readTree(text);
            } catch (IOException notJson) {
                json = null;
            }
        }
        if (!response.isSuccessful()) {
            throw new ApiException(response.code(), json, text);
        }
        return json == null ? MAPPER.createObjectNode() : json;
    }
}
