package io.autoreg.core.internal.settings;

import com.typesafe.config.Config;

/**
 * The common part of the {@code autoreg} tree, read once and validated eagerly. Front ends read their
 * own sections ({@code autoreg.agent.*}, {@code autoreg.sidecar.*}) from {@link #config()} with
 * {@link SettingsReader}, which turns every bad value into a {@link SettingsException}.
 *
 * @param enabled   {@code autoreg.enabled} (kill switch)
 * @param registry  {@code autoreg.registry.*}
 * @param service   {@code autoreg.service.*}
 * @param heartbeat {@code autoreg.heartbeat.*}
 * @param config    the whole resolved tree, with origins, for front-end specific keys
 */
public record AutoregSettings(
        boolean enabled,
        RegistrySettings registry,
        ServiceSettings service,
        HeartbeatSettings heartbeat,
        Config config) {}
