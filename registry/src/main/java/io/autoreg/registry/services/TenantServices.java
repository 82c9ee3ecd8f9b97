package io.autoreg.registry.services;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One tenant's services, sorted by id, with a counter for quota checks (size() of a skip list is O(n)). */
final class TenantServices {
  final ConcurrentSkipListMap<String, Service> byId = new ConcurrentSkipListMap<>();
  final AtomicInteger count = new AtomicInteger();
}
