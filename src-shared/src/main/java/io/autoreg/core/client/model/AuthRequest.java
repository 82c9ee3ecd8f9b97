package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /v2.0/tokens}: {@code {"auth":{"RAX-KSKEY:apiKeyCredentials":{"username","apiKey"}}}}. */
public record AuthRequest(Auth auth) {

    public static AuthRequest apiKey(String username, String apiKey) {
        return new AuthRequest(new Auth(new ApiKeyCredentials(username, apiKey)));
    }

    public record Auth(
            @JsonProperty("RAX-KSKEY:apiKeyCredentials") ApiKeyCredentials apiKeyCredentials) {}

    public record ApiKeyCredentials(String username, String apiKey) {}
}
