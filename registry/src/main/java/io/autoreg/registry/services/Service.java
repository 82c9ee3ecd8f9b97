package io.autoreg.registry.services;

import io.autoreg.registry.expiry.Expiring;

/**
 * A live service. Its heartbeat state (deadline, token generation) is guarded by its own monitor,
 * so heartbeats of different services never contend.
 */
public final class Service implements Expiring {
  final String tenant;
  final long incarnation;
  final String owner;
  private final ServiceTable table;
  private volatile ServiceSpec spec;
  private volatile long deadline;
  private volatile long lastSeen = -1;
  private volatile boolean dead;
  private long generation;
  /** False after a restart until the first heartbeat: then any verified generation ≥ {@link #generation} is live. */
  private boolean exact;
  private long scheduledAt;

  Service(ServiceTable table, String tenant, ServiceSpec spec, long incarnation, long generation, boolean exact,
          long deadline) {
    this.table = table;
    this.tenant = tenant;
    this.spec = spec;
    this.incarnation = incarnation;
    this.owner = "s|" + tenant + "|" + spec.id();
    this.generation = generation;
    this.exact = exact;
    this.deadline = deadline;
    this.scheduledAt = deadline;
  }

  public ServiceSpec spec() { return spec; }
  public String id() { return spec.id(); }
  public long deadline() { return deadline; }
  public boolean dead() { return dead; }
  /** Epoch ms of the last heartbeat, or -1 before the first. */
  public long lastSeen() { return lastSeen; }
  synchronized long generation() { return generation; }

  void spec(ServiceSpec spec) { this.spec = spec; }

  boolean visibleAt(long now) { return !dead && (spec.inSession() || deadline > now); }

  /** Result of a heartbeat: the next generation, or a negative code. */
  static final long EXPIRED = -1;
  static final long BAD_TOKEN = -2;

  /**
   * Consumes the token of {@code presented} generation and extends the deadline. Returns the new
   * generation or {@link #EXPIRED} / {@link #BAD_TOKEN}. {@code reschedule} is set when the new
   * deadline is earlier than the armed timer (the timeout was shortened).
   */
  synchronized long beat(long presented, long now, boolean[] reschedule) {
    if (dead || deadline <= now) {
      return EXPIRED;
    }
    if (exact ? presented != generation : presented < generation) {
      return BAD_TOKEN;
    }
    generation = presented + 1;
    exact = true;
    deadline = now + spec.heartbeatTimeout() * 1000L;
    lastSeen = now;
    if (deadline < scheduledAt) {
      scheduledAt = deadline;
      reschedule[0] = true;
    }
    return generation;
  }

  /** Marks the service removed; false if it already was (by expiry, delete or its session). */
  synchronized boolean kill() {
    if (dead) {
      return false;
    }
    dead = true;
    return true;
  }

  @Override
  public long checkExpiry(long now) {
    long expiredAt;
    synchronized (this) {
      if (dead) {
        return -1;
      }
      if (deadline > now) {
        scheduledAt = deadline;
        return deadline;
      }
      dead = true;
      expiredAt = deadline;
    }
    table.expired(this, expiredAt);
    return -1;
  }
}
