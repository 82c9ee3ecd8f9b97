package io.autoreg.core.client;

import io.autoreg.core.client.model.AuthRequest;
import io.autoreg.core.client.model.AuthResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Where the {@code X-Auth-Token} comes from: nowhere (an open registry), a static token, or the token
 * endpoint ({@code POST /v2.0/tokens} with username and api key). An endpoint token is reused until it
 * is about to expire or the registry answers 401; concurrent callers that saw the same 401 share one
 * re-authentication.
 */
abstract class Authenticator {

    abstract String token() throws IOException;

    /** A new token after {@code rejected} was refused with 401. */
    abstract String reauthenticate(String rejected) throws IOException;

    abstract boolean canReauthenticate();

    static Authenticator none() {
        return fixed(null);
    }

    static Authenticator fixed(String token) {
        return new Authenticator() {
            @Override
            String token() {
                return token;
            }

            @Override
            String reauthenticate(String rejected) {
                return token;
            }

            @Override
            boolean canReauthenticate() {
                return false;
            }
        };
    }

    /** Username + api key against the token endpoint. */
    static final class ApiKey extends Authenticator {
        /**
         * Renew this long before the stated expiry (at most a tenth of the token's lifetime), so a call
         * never carries a token that dies in flight.
         */
        private static final Duration EARLY = Duration.ofSeconds(30);

        private final OkHttpClient http;
        private final HttpUrl url;
        private final String username;
        private final String apiKey;
        private final Clock clock;
        private AuthResponse.AccessToken current;
        private Instant renewAt;

        ApiKey(OkHttpClient http, HttpUrl url, String username, String apiKey, Clock clock) {
            this.http = http;
            this.url = url;
            this.username = username;
            this.apiKey = apiKey;
            this.clock = clock;
        }

        @Override
        synchronized String token() throws IOException {
            if (current == null || (renewAt != null && !clock.instant().isBefore(renewAt))) {
                authenticate();
            }
            return current.id();
        }

        @Override
        synchronized String reauthenticate(String rejected) throws IOException {
            if (current != null && !current.id().equals(rejected)) {
                return current.id();
            }
            return authenticate().id();
        }

        @Override
        boolean canReauthenticate() {
            return true;
        }

        synchronized AuthResponse.AccessToken authenticate() throws IOException {
            Request request = new Request.Builder()
                    .url(url)
                    .post(RequestBody.create(
                            Transport.MAPPER.writeValueAsBytes(AuthRequest.apiKey(username, apiKey)),
                            MediaType.get("application/json; charset=utf-8")))
                    .build();
            try (Response response = http.newCall(request).execute()) {
                ResponseBody body = response.body();
                byte[] bytes = body == null ? new byte[0] : body.bytes();
                if (!response.isSuccessful()) {
                    io.autoreg.core.client.model.Fault fault = null;
                    try {
                        fault = Transport.MAPPER.readValue(bytes, io.autoreg.core.client.model.Fault.class);
                    } catch (IOException ignored) {
                        // not a fault body
                    }
                    throw RegistryApiException.of("authenticate " + username + " at " + url, response.code(), fault);
                }
                AuthResponse answer = Transport.MAPPER.readValue(bytes, AuthResponse.class);
                if (answer == null
                        || answer.access() == null
                        || answer.access().token() == null
                        || answer.access().token().id() == null) {
                    throw new IOException("the token endpoint " + url + " answered without access.token.id");
                }
                current = answer.access().token();
                Instant obtained = clock.instant();
                Instant expires = parse(current.expires());
                if (expires == null) {
                    renewAt = null;
                } else {
                    Duration lifetime = Duration.between(obtained, expires);
                    Duration early = lifetime.dividedBy(10).compareTo(EARLY) < 0 ? lifetime.dividedBy(10) : EARLY;
                    renewAt = expires.minus(early.isNegative() ? Duration.ZERO : early);
                }
                return current;
            }
        }

        private static Instant parse(String iso) {
            if (iso == null) {
                return null;
            }
            try {
                return java.time.OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException e) {
                return null; // unknown format: rely on 401 to tell us when it expired
            }
        }
    }
}
