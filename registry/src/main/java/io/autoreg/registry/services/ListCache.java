package io.autoreg.registry.services;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered list pages (keyed by tenant and query), reused while nothing they show can have changed: the tenant's
 * version is the same (no create, update or removal since) and no service on the page has reached its
 * deadline (so a read never shows an expired service). Heartbeats do not bump the version (that would put a
 * shared write on the hottest path), so a page keeps the one thing they change, {@code last_seen}, out of its
 * cached bytes: {@link Page#assemble()} writes each service's current value between the cached chunks, and a
 * list always agrees with {@code GET /services/{id}}.
 */
final class ListCache {
  /** At most this many pages (about 110 KiB each at limit=1000) are kept over all tenants. */
  private static final int MAX_PAGES = 64;
  private final ConcurrentHashMap<String, Page> pages = new ConcurrentHashMap<>();

  /**
   * A page cut around its {@code last_seen} values: {@code chunks[i]} is followed by the current
   * {@code last_seen} of {@code services[i]}; the last chunk closes the page.
   */
  record Page(long version, long validUntil, byte[][] chunks, Service[] services) {

    byte[] assemble() {
      byte[][] values = new byte[services.length][];
      int size = chunks[chunks.length - 1].length;
      for (int i = 0; i < services.length; i++) {
        long lastSeen = services[i].lastSeen();
        values[i] = (lastSeen < 0 ? "null" : Long.toString(lastSeen)).getBytes(StandardCharsets.US_ASCII);
        size += chunks[i].length + values[i].length;
      }
      byte[] body = new byte[size];
      int at = 0;
      for (int i = 0; i < services.length; i++) {
        System.arraycopy(chunks[i], 0, body, at, chunks[i].length);
        at += chunks[i].length;
        System.arraycopy(values[i], 0, body, at, values[i].length);
        at += values[i].length;
      }
      byte[] tail = chunks[chunks.length - 1];
      System.arraycopy(tail, 0, body, at, tail.length);
      return body;
    }
  }

  byte[] get(String key, long version, long now) {
    Page page = pages.get(key);
    if (page == null || page.version != version || now >= page.validUntil) {
      return null;
    }
    return page.assemble();
  }

  void put(String key, Page page) {
    if (pages.size() >= MAX_PAGES) {
      pages.clear();
    }
    pages.put(key, page);
  }
}
