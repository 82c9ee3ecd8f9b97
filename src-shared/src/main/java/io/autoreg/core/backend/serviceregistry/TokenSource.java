package io.autoreg.core.backend.serviceregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.settings.RegistrySettings;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;

/** The {@code X-Auth-Token} to send: none, a static token, or one obtained from {@code /v2.0/tokens}. */
abstract class TokenSource {

    abstract String token(boolean refresh) throws IOException;

    abstract boolean canRefresh();

    static TokenSource from(RegistrySettings settings, OkHttpClient http) {
        if (settings.username() != null) {
            String authUrl = settings.authUrl();
            if (authUrl == null) {
                HttpUrl base = HttpUrl.parse(settings.url());
                authUrl = base.newBuilder().encodedPath("/v2.0/tokens").query(null).build().toString();
            }
            return new Endpoint(http, HttpUrl.parse(authUrl), settings.username(), settings.apiKey());
        }
        String token = settings.token();
        return new TokenSource() {
            @Override
            String token(boolean refresh) {
                return token;
            }

            @Override
            boolean canRefresh() {
                return false;
            }
        };
    }

    /** Username + api key against the token endpoint; the token is kept until a 401 asks for a new one. */
    static final class Endpoint extends TokenSource {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private final OkHttpClient http;
        private final HttpUrl url;
        private final String username;
        private final String apiKey;
        private String current;

        Endpoint(OkHttpClient http, HttpUrl url, String username, String apiKey) {
            this.http = http;
            this.url = url;
            this.username = username;
            this.apiKey = apiKey;
        }

        @Override
        synchronized String token(boolean refresh) throws IOException {
            if (current == null || refresh) {
                current = authenticate();
            }
            return current;
        }

        @Override
        boolean canRefresh() {
            return true;
        }

        private String authenticate() throws IOException {
            ObjectNode body = MAPPER.createObjectNode();
            ObjectNode credentials = body.putObject("auth").putObject("RAX-KSKEY:apiKeyCredentials");
            credentials.put("username", username);
            credentials.put("apiKey", apiKey);
            Request request = new Request.Builder().url(url)
                    .post(RequestBody.create(MAPPER.writeValueAsBytes(body), MediaType.get("application/json")))
                    .build();
            try (Response response = http.newCall(request).execute()) {
                if (response.code() != 200 && response.code() != 201) {
                    throw new IOException("authentication as " + username + " at " + url + " failed: HTTP " + response.code());
                }
                JsonNode answer = MAPPER.readTree(response.body().byteStream());
                String id = answer.path("access").path("token").path("id").asText(null);
                if (id == null) {
                    throw new IOException("authentication at " + url + " answered without access.token.id");
                }
                return id;
            }
        }
    }
}
