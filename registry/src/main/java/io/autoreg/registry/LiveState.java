package io.autoreg.registry;

import io.autoreg.registry.auth.HeartbeatTokens;
import io.autoreg.registry.auth.TokenAccess;
import io.autoreg.registry.configuration.ConfigurationRoute;
import io.autoreg.registry.configuration.ConfigurationStore;
import io.autoreg.registry.events.EventLog;
import io.autoreg.registry.events.EventStreams;
import io.autoreg.registry.events.EventsRoute;
import io.autoreg.registry.events.LongPolls;
import io.autoreg.registry.expiry.ExpiryScheduler;
import io.autoreg.registry.http.AllowedHosts;
import io.autoreg.registry.http.ApiHandler;
import io.autoreg.registry.http.Route;
import io.autoreg.registry.limits.LimitsRoute;
import io.autoreg.registry.limits.RateLimiter;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.metrics.Metrics;
import io.autoreg.registry.registro.RegistroRoute;
import io.autoreg.registry.registro.RegistroStore;
import io.autoreg.registry.services.ServiceTable;
import io.autoreg.registry.services.ServicesRoute;
import io.autoreg.registry.sessions.OverviewRoute;
import io.autoreg.registry.sessions.SessionTable;
import io.autoreg.registry.sessions.SessionsRoute;
import io.autoreg.registry.store.FileJournal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state rebuilt from the data dir (the tables, their expiry thread) and the API over it. The server
 * builds one at start, and a new one from the disk whenever a journal write fails: the tables change
 * before their record is synced, so a failed write is undone by dropping the whole state and replaying
 * what the disk holds, like a restart without closing the port.
 */
final class LiveState implements AutoCloseable {
    final EventLog events;
    final ServiceTable services;
    final SessionTable sessions;
    final StateRecords records;
    final ApiHandler handler;
    private final ExpiryScheduler expiry;
    private final AutoCloseable jumpWake;
    private final DeferredJournal journal;
    private final RegistroStore registro;
    private final LongPolls longPolls;
    private final EventStreams eventStreams;

    /** What every state shares: settings, time, metrics, the token secret and the routes outside tenants. */
    record Shared(
            ServerSettings settings,
            ServerClock clock,
            Metrics metrics,
            HeartbeatTokens tokens,
            RateLimiter rateLimiter,
            TokenAccess access,
            AllowedHosts allowedHosts,
            Map<String, Route> plain,
            ActivityLog log) {}

    LiveState(Shared shared) {
        ServerSettings settings = shared.settings();
        ServerClock clock = shared.clock();
        expiry = new ExpiryScheduler(clock);
        jumpWake = clock.onJump(expiry::wake);
        journal = new DeferredJournal();
        events = new EventLog(
                journal, clock, settings.eventRetention(), settings.maxEventsPerTenant(), settings.maxEventsTotal());
        services = new ServiceTable(
                journal, events, expiry, shared.tokens(), clock, shared.metrics(), settings::quotas, shared.log());
        sessions = new SessionTable(
                journal, services, expiry, shared.tokens(), clock, shared.metrics(), settings::quotas, shared.log());
        services.sessions(sessions);
        ConfigurationStore configuration = new ConfigurationStore(journal, events, clock, settings::quotas);
        registro = new RegistroStore(journal, expiry, clock, shared.log());
        records = new StateRecords(
                services,
                events,
                List.of(
                        StateSections.sessions(sessions),
                        StateSections.configuration(configuration),
                        StateSections.registro(registro)));
        Map<String, Route> tenantRoutes = new HashMap<>();
        tenantRoutes.put("services", new ServicesRoute(services, clock));
        longPolls = new LongPolls(clock);
        eventStreams = new EventStreams(events, 15_000);
        events.onAppend(tenant -> {
            longPolls.changed(tenant);
            eventStreams.changed(tenant);
        });
        tenantRoutes.put("events", new EventsRoute(events, clock, longPolls, eventStreams));
        tenantRoutes.put("sessions", new SessionsRoute(sessions, clock));
        tenantRoutes.put("views", new OverviewRoute(sessions, services, clock));
        tenantRoutes.put("configuration", new ConfigurationRoute(configuration));
        tenantRoutes.put("limits", new LimitsRoute(settings.quotas(), shared.rateLimiter()));
        handler = new ApiHandler(
                tenantRoutes,
                shared.plain(),
                new RegistroRoute(registro, clock),
                shared.access(),
                shared.allowedHosts(),
                shared.metrics());
    }

    /** Long polls parked on the events feed now (for /metrics). */
    int parkedLongPolls() {
        return longPolls.parked();
    }

    /** Event streams open on the events feed now (for /metrics). */
    int openStreams() {
        return eventStreams.open();
    }

    /** After the replay: writes go to {@code target} as made on its state {@code epoch}; restored deadlines are armed. */
    void arm(FileJournal target, long epoch) {
        journal.target(target, epoch);
        services.armRestored();
        sessions.armRestored();
        registro.armRestored();
    }

    @Override
    public void close() {
        try {
            jumpWake.close();
        } catch (Exception e) {
            System.err.println("[autoreg] registry: unregistering a clock listener failed: " + e);
        }
        expiry.close();
        longPolls.close();
        eventStreams.close();
    }
}
