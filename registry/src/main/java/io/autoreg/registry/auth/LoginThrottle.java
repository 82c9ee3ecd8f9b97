package io.autoreg.registry.auth;

import io.autoreg.registry.http.ApiError;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Throttles API-key guessing at {@code /v2.0/tokens}: after {@value #PER_ADDRESS} failed attempts from
 * one client address within a minute, every attempt from it gets 429 until that minute is over; after
 * {@value #PER_USER} failed attempts for one configured user (from any addresses), attempts for that user
 * do too. Successful attempts never count, so the right key of a user not under attack is never slowed.
 *
 * <p>Why two thresholds: a throttled attempt is refused before its key is looked at and is not counted
 * for the user, so one address adds at most {@value #PER_ADDRESS} failures per minute to a user (10
 * where its minute and the user's overlap) — one attacker alone can never lock the real user out; it
 * takes several addresses guessing the same user within a minute, and then only until that minute
 * ends. IPv6 clients are counted per /64, the block one host usually gets.
 *
 * <p>Memory is bounded: users are only the configured ones; at most {@value #MAX_ADDRESSES} addresses
 * are tracked, minutes that ended are dropped when the map is full, and if it is still full (a flood
 * from more addresses than that within one minute) the untracked addresses share one counter.
 */
public final class LoginThrottle {
    static final int PER_ADDRESS = 5;
    static final int PER_USER = 20;
    static final long WINDOW_MILLIS = 60_000;
    static final int MAX_ADDRESSES = 10_000;
    private static final String SHARED = "*";
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Failures> byUser = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final AtomicLong lastPrune = new AtomicLong(Long.MIN_VALUE / 2);

    /** Failed attempts in the minute that started at {@code start}. */
    private static final class Failures {
        private long start = Long.MIN_VALUE / 2;
        private int count;

        synchronized long blockedFor(long now, int threshold) {
            return now - start < WINDOW_MILLIS && count >= threshold ? start + WINDOW_MILLIS - now : 0;
        }

        synchronized void add(long now) {
            if (now - start >= WINDOW_MILLIS) {
                start = now;
                count = 0;
            }
            count++;
        }

        synchronized boolean ended(long now) {
            return now - start >= WINDOW_MILLIS;
        }
    }

    public LoginThrottle(Set<String> users, LongSupplier clock) {
        users.forEach(user -> byUser.put(user, new Failures()));
        this.clock = clock;
    }

    /** Throws 429 if the address has failed too often this minute. */
    public void checkAddress(InetAddress address) {
        Failures failures = byAddress.get(key(address));
        if (failures == null) {
            failures = byAddress.get(SHARED);
        }
        long wait = failures == null ? 0 : failures.blockedFor(clock.getAsLong(), PER_ADDRESS);
        if (wait > 0) {
            throw ApiError.tooManyRequests(
                    "Too many failed authentication attempts",
                    "More than " + PER_ADDRESS + " failed attempts from this address within a minute",
                    wait);
        }
    }

    /** Throws 429 if attempts for this configured user have failed too often this minute. */
    public void checkUser(String username) {
        Failures failures = byUser.get(username);
        long wait = failures == null ? 0 : failures.blockedFor(clock.getAsLong(), PER_USER);
        if (wait > 0) {
            throw ApiError.tooManyRequests(
                    "Too many failed authentication attempts",
                    "More than " + PER_USER + " failed attempts for this user within a minute",
                    wait);
        }
    }

    /** Counts a failed attempt (wrong key or unknown user) for the address and, if configured, the user. */
    public void failed(InetAddress address, String username) {
        long now = clock.getAsLong();
        addressFailures(key(address), now).add(now);
        Failures user = byUser.get(username);
        if (user != null) {
            user.add(now);
        }
    }

    private Failures addressFailures(String key, long now) {
        Failures failures = byAddress.get(key);
        if (failures != null) {
            return failures;
        }
        if (byAddress.size() >= MAX_ADDRESSES) {
            long last = lastPrune.get();
            if (now - last >= 1_000 && lastPrune.compareAndSet(last, now)) {
                byAddress.values().removeIf(f -> f.ended(now));
            }
            if (byAddress.size() >= MAX_ADDRESSES) {
                return byAddress.computeIfAbsent(SHARED, k -> new Failures());
            }
        }
        return byAddress.computeIfAbsent(key, k -> new Failures());
    }

    int trackedAddresses() {
        return byAddress.size();
    }

    /** The address, or for IPv6 its /64 (one host's share; a host can pick any address inside it). */
    static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }
}
