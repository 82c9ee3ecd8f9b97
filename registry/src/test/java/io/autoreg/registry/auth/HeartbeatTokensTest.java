package io.autoreg.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTokensTest {
    @TempDir
    Path dataDir;

    @Test
    void aTokenVerifiesOnlyForItsOwnerAndIncarnation() throws Exception {
        HeartbeatTokens tokens = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir));
        String token = tokens.issue("s|t|web-1", 7, 3);
        assertEquals(36, token.length());
        UUID.fromString(token);
        assertEquals(3, tokens.verify(token, "s|t|web-1", 7));
        assertEquals(-1, tokens.verify(token, "s|t|web-2", 7));
        assertEquals(-1, tokens.verify(token, "s|t|web-1", 8));
        assertEquals(-1, tokens.verify(token, "s|other|web-1", 7));
        char last = token.charAt(35);
        assertEquals(-1, tokens.verify(token.substring(0, 35) + (last == '0' ? '1' : '0'), "s|t|web-1", 7));
        assertEquals(-1, tokens.verify("not-a-token", "s|t|web-1", 7));
        assertNotEquals(token, tokens.issue("s|t|web-1", 7, 4));
    }

    @Test
    void theLastIssuedTokenIsAcceptedAsTheFullCheckWouldAndNothingElseIs() throws Exception {
        HeartbeatTokens tokens = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir));
        byte[] owner = HeartbeatTokens.owner("s|t|web-1");
        String last = tokens.issue(owner, 7, 3);
        assertEquals(3, tokens.verify(last, owner, 7, last));
        // the same text in upper case is not the issued text, but its HMAC still holds
        assertEquals(3, tokens.verify(last.toUpperCase(java.util.Locale.ROOT), owner, 7, last));
        // an older token of the same owner is verified in full, whatever was issued last
        String older = tokens.issue(owner, 7, 2);
        assertEquals(2, tokens.verify(older, owner, 7, last));
        // a forged token (the last one with another generation) fails, with or without a last one
        String forged = String.format("%08x", 4) + last.substring(8);
        assertEquals(-1, tokens.verify(forged, owner, 7, last));
        assertEquals(-1, tokens.verify(forged, owner, 7, null));
        assertEquals(-1, tokens.verify("not-a-token", owner, 7, last));
        assertEquals(3, tokens.verify(last, owner, 7, "short")); // an unusable last token: the full check
        assertEquals(3, tokens.verify(last, owner, 7, null));
    }

    @Test
    void aTokenReadInPlaceFromABodyIsVerifiedAsItsText() throws Exception {
        HeartbeatTokens tokens = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir));
        byte[] owner = HeartbeatTokens.owner("s|t|web-1");
        byte[] answer = io.autoreg.registry.http.JsonText.tokenAnswer();
        int at = io.autoreg.registry.http.JsonText.TOKEN_AT;
        tokens.issueInto(answer, at, owner, 7, 3);
        String last = new String(answer, at, HeartbeatTokens.TOKEN_LENGTH, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(
                "{\"token\":\"" + tokens.issue(owner, 7, 3) + "\"}",
                new String(answer, java.nio.charset.StandardCharsets.US_ASCII));
        for (String presented : new String[] {
            last,
            last.toUpperCase(java.util.Locale.ROOT),
            tokens.issue(owner, 7, 2),
            String.format("%08x", 4) + last.substring(8),
            "not-a-token",
            last.substring(1)
        }) {
            byte[] body = ("{\"token\":\"" + presented + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int to = body.length - 2;
            for (byte[] lastIssued : new byte[][] {answer, null}) {
                assertEquals(
                        tokens.verify(presented, owner, 7, lastIssued, at),
                        tokens.verify(body, at, to, owner, 7, lastIssued, at),
                        presented);
            }
        }
        assertEquals(3, tokens.verify(last, owner, 7, answer, at));
        assertEquals(-1, tokens.verify(last, owner, 8, null, 0));
    }

    @Test
    void tokensStayVerifiableAfterARestartWithTheSameDataDir() throws Exception {
        String token = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir)).issue("s|t|db", 1, 41);
        HeartbeatTokens afterRestart = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir));
        assertEquals(41, afterRestart.verify(token, "s|t|db", 1));
    }
}
