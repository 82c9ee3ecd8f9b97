package io.autoreg.registry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Heartbeat tokens that the server can verify without storing them: a token is a UUID whose first
 * 32 bits are the token's generation and whose other 96 bits are HMAC-SHA256(secret, owner,
 * incarnation, generation). Heartbeats therefore never touch the disk, and after a restart a token
 * whose HMAC verifies is recognised (the secret is persisted in the data dir). No entropy is drawn
 * per token, so issuing one never blocks.
 */
public final class HeartbeatTokens {
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public HeartbeatTokens(byte[] secret) {
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The token of {@code generation} for the owner (e.g. "s|tenant|id") in its incarnation. */
  public String issue(String owner, long incarnation, long generation) {
    byte[] mac = mac(owner, incarnation, generation);
    return new UUID(high(generation, mac), readLong(mac, 4)).toString();
  }

  /** The generation the token carries if it was issued for this owner and incarnation, else -1. */
  public long verify(String token, String owner, long incarnation) {
    if (token == null || token.length() != 36) {
      return -1;
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(token);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    long generation = uuid.getMostSignificantBits() >>> 32;
    byte[] mac = mac(owner, incarnation, generation);
    // Compare all bits without an early exit, so timing says nothing about a near miss.
    long difference = (high(generation, mac) ^ uuid.getMostSignificantBits())
        | (readLong(mac, 4) ^ uuid.getLeastSignificantBits());
    return difference == 0 ? generation : -1;
  }

  private static long high(long generation, byte[] mac) {
    return (generation << 32) | (readLong(mac, 0) >>> 32);
  }

  private byte[] mac(String owner, long incarnation, long generation) {
    Mac mac = macs.get();
    mac.update(owner.getBytes(StandardCharsets.UTF_8));
    byte[] numbers = new byte[17];
    numbers[0] = '|';
    writeLong(numbers, 1, incarnation);
    writeLong(numbers, 9, generation);
    mac.update(numbers);
    return mac.doFinal();
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static void writeLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
