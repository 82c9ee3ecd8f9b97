package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoreg.registry.support.Http;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitHttpTest {
  @TempDir Path data;

  @Test
  void requestsOverTheRateAreRateLimitReached() {
    try (RegistryServer server = RegistryServer.builder().port(0).dataDir(data)
        .config("autoreg.server.rate-limit { requests = 5, window = 1h }").build().start()) {
      Http http = new Http(server.baseUrl());
      for (int i = 0; i < 5; i++) {
        assertEquals(200, http.get("/v1.0/r1/services").status());
      }
      var over = http.get("/v1.0/r1/services");
      assertEquals(400, over.status());
      assertEquals("rateLimitReached", over.json().get("type").asText());
      assertEquals(200, http.get("/v1.0/r2/services").status());
    }
  }
}
