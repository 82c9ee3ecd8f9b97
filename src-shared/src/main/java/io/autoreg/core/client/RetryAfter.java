package io.autoreg.core.client;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date. The registry sends
 * seconds with a 429 (docs/api.md §6); a proxy in front of it may send either with a 503.
 */
final class RetryAfter {

    /** Longer than this is not a pause but an outage: the caller's own backoff is the better guide then. */
    static final Duration MAX = Duration.ofMinutes(10);

    private RetryAfter() {}

    /** The delay the header asks for, capped at {@link #MAX}; null when absent or unreadable. */
    static Duration parse(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        Duration delay;
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                delay = Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                delay = MAX; // more digits than a long: "a very long time"
            }
        } else {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()
                        .toEpochMilli();
                delay = Duration.ofMillis(Math.max(0, at - nowMillis));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
