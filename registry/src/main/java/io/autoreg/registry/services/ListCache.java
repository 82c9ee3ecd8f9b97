package io.autoreg.registry.services;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rendered list pages (keyed by tenant and query), reused while nothing they show can have changed: the tenant's
 * version is the same (no create, update or removal since) and no service on the page has reached its
 * deadline (so a read never shows an expired service). Heartbeats do not bump the version (that would put a
 * shared write on the hottest path), so a page keeps the one thing they change, {@code last_seen}, out of its
 * cached bytes: {@link PageResponse} writes each service's current value at its cut while streaming the page,
 * and a list always agrees with {@code GET /services/{id}}.
 *
 * <p>Memory is bounded by bytes, not by pages: a page of 1,000 services with 20 metadata pairs each is
 * megabytes, so a page count alone bounds nothing.
 */
final class ListCache {
    /** All cached pages together (a page of 1,000 bench services is about 110 KiB). */
    static final long MAX_BYTES = 8L * 1024 * 1024;
    /** A larger page is served but not kept: one such page would push every other page out. */
    static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;

    private static final int MAX_PAGES = 256;
    private final ConcurrentHashMap<String, Page> pages = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * A page without its {@code last_seen} values: {@code skeleton} is the page's UTF-8 with each value cut out,
     * and the current {@code last_seen} of {@code services[i]} belongs at byte offset {@code cuts[i]} (ascending).
     */
    record Page(long version, long validUntil, byte[] skeleton, int[] cuts, Service[] services) {
        /** Heap held by the page: its bytes, offsets and references (for the cache's budget). */
        long weight() {
            return skeleton.length + 8L * cuts.length + 64;
        }
    }

    Page get(String key, long version, long now) {
        Page page = pages.get(key);
        if (page == null || page.version != version || now >= page.validUntil) {
            return null;
        }
        return page;
    }

    void put(String key, Page page) {
        if (page.skeleton.length > MAX_PAGE_BYTES) {
            return;
        }
        if (bytes.get() + page.weight() > MAX_BYTES || pages.size() >= MAX_PAGES) {
            clear(); // pages are cheap to render again; an exact LRU would cost every hit a shared write
        }
        Page old = pages.put(key, page);
        bytes.addAndGet(page.weight() - (old == null ? 0 : old.weight()));
    }

    private void clear() {
        for (String key : pages.keySet()) {
            Page removed = pages.remove(key);
            if (removed != null) {
                bytes.addAndGet(-removed.weight());
            }
        }
    }

    /** Bytes held by cached pages (for tests of the bound). */
    long bytes() {
        return bytes.get();
    }
}
