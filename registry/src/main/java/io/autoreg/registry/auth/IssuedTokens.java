package io.autoreg.registry.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tokens handed out by /v2.0/tokens. They live in memory only: after a restart, or once expired,
 * clients get a 401 and authenticate again (the rule every original client follows).
 */
public final class IssuedTokens {
    /** An issued token: who it is for and until when (epoch ms). */
    public record Issued(String token, String tenant, long expiresAt) {}

    private final Map<String, Issued> byToken = new ConcurrentHashMap<>();
    private final Map<String, User> usersByName;
    private final Duration ttl;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();

    public IssuedTokens(List<User> users, Duration ttl, LongSupplier clock) {
        Map<String, User> byName = new ConcurrentHashMap<>();
        users.forEach(u -> byName.put(u.username(), u));
        this.usersByName = byName;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A new token for the user if the api key matches, else null. */
    public Issued authenticate(String username, String apiKey) {
        User user = usersByName.get(username);
        if (user == null
                || !java.security.MessageDigest.isEqual(
                        user.apiKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        apiKey.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return null;
        }
        return issue(user.tenant());
    }

    /** Open mode: anyone gets a token; its tenant is the username (any token is accepted anyway). */
    public Issued issueOpen(String username) {
        return issue(username.matches("[A-Za-z0-9_-]{1,64}") ? username : "default");
    }

    private Issued issue(String tenant) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        Issued issued = new Issued(
                HexFormat.of().formatHex(bytes), tenant, TokenExpiry.align(clock.getAsLong() + ttl.toMillis()));
        byToken.put(issued.token(), issued);
        return issued;
    }

    /** The tenant of a live token, or null (unknown or expired; expired tokens are dropped). */
    public String tenantOf(String token) {
        Issued issued = byToken.get(token);
        if (issued == null) {
            return null;
        }
        if (issued.expiresAt() <= clock.getAsLong()) {
            byToken.remove(token, issued);
            return null;
        }
        return issued.tenant();
    }

    /** Revokes a token early (its holder must authenticate again). */
    public void revoke(String token) {
        byToken.remove(token);
    }
}
