package io.autoreg.registry.services;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered list pages (keyed by tenant and query), reused while nothing they show can have changed: the tenant's
 * version is the same (no create, update or removal since), no service on the page has reached its
 * deadline (so a read never shows an expired service), and the page is younger than
 * {@link #MAX_AGE_MILLIS} (which bounds how old a {@code last_seen} may look).
 */
final class ListCache {
  static final long MAX_AGE_MILLIS = 250;
  /** At most this many pages (about 110 KiB each at limit=1000) are kept over all tenants. */
  private static final int MAX_PAGES = 64;
  private final ConcurrentHashMap<String, Page> pages = new ConcurrentHashMap<>();

  record Page(long version, long builtAt, long validUntil, byte[] body) {}

  byte[] get(String key, long version, long now) {
    Page page = pages.get(key);
    if (page == null || page.version != version || now >= page.validUntil || now - page.builtAt >= MAX_AGE_MILLIS) {
      return null;
    }
    return page.body;
  }

  void put(String key, Page page) {
    if (pages.size() >= MAX_PAGES) {
      pages.clear();
    }
    pages.put(key, page);
  }
}
