package io.autoreg.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTokensTest {
  @TempDir Path dataDir;

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
  void tokensStayVerifiableAfterARestartWithTheSameDataDir() throws Exception {
    String token = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir)).issue("s|t|db", 1, 41);
    HeartbeatTokens afterRestart = new HeartbeatTokens(ServerSecret.loadOrCreate(dataDir));
    assertEquals(41, afterRestart.verify(token, "s|t|db", 1));
  }
}
