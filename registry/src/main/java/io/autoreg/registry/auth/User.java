package io.autoreg.registry.auth;

/** A configured user of the /v2.0/tokens endpoint. */
public record User(String username, String apiKey, String tenant) {
    @Override
    public String toString() {
        return "User[" + username + ", tenant " + tenant + "]";
    }
}
