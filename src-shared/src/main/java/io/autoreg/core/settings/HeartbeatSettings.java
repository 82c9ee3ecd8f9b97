package io.autoreg.core.settings;

import java.time.Duration;

/**
 * {@code autoreg.heartbeat.*}.
 *
 * @param timeout  the registry-side time-to-live (3s..120s for service-registry)
 * @param interval explicit renewal interval, or null to derive it from the timeout (§8 of the spec:
 *                 0.6×T below 15 s, 0.8×T above, always leaving at least 3 s of margin)
 */
public record HeartbeatSettings(Duration timeout, Duration interval) {
}
