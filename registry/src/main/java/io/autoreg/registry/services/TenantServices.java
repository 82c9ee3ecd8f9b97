package io.autoreg.registry.services;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tenant's services: a hash index for the point lookups of heartbeats (a skip-list lookup of a
 * string key costs several cache misses) and a skip list sorted by id for lists. The hash map
 * decides; the skip list follows it. A counter serves quota checks (size() of a skip list is O(n)).
 */
final class TenantServices {
    private final ConcurrentHashMap<String, Service> byId = new ConcurrentHashMap<>();
    final ConcurrentSkipListMap<String, Service> sorted = new ConcurrentSkipListMap<>();
    final AtomicInteger count = new AtomicInteger();
    /** Bumped by every change of membership or spec (never by a heartbeat): cached pages check it. */
    final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    Service get(String id) {
        return byId.get(id);
    }

    Service putIfAbsent(Service service) {
        Service existing = byId.putIfAbsent(service.id(), service);
        if (existing == null) {
            sorted.put(service.id(), service);
            version.incrementAndGet();
        }
        return existing;
    }

    /** Replay: replaces whatever is there; true if the id was new. */
    boolean put(Service service) {
        Service old = byId.put(service.id(), service);
        sorted.put(service.id(), service);
        version.incrementAndGet();
        return old == null;
    }

    boolean remove(Service service) {
        if (!byId.remove(service.id(), service)) {
            return false;
        }
        sorted.remove(service.id(), service);
        version.incrementAndGet();
        return true;
    }

    Collection<Service> values() {
        return byId.values();
    }
}
