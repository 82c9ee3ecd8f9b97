package io.autoreg.agent.register;

import io.autoreg.agent.AgentVersion;
import io.autoreg.agent.full.BundledLibraries;
import io.autoreg.agent.full.FullPath;
import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.listen.Listener;
import io.autoreg.agent.listen.ListenerSink;
import io.autoreg.agent.lite.LiteConsulBackend;
import io.autoreg.agent.lite.LiteEnvironment;
import io.autoreg.agent.lite.LiteEtcdBackend;
import io.autoreg.agent.lite.LiteEurekaBackend;
import io.autoreg.agent.lite.LiteServiceRegistryBackend;
import io.autoreg.agent.lite.LiteSettings;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.UnknownVariables;
import io.autoreg.core.internal.settings.UrlCredentials;
import java.io.IOException;
import java.util.Map;

/**
 * The registration side of the agent, built only when there is something to register: settings are
 * read at the first listener, the registry client and the lifecycle are created at the first
 * <em>eligible</em> listener. A JVM without listeners never pays for either. The common configuration
 * takes the fast path ({@link LiteSettings}, {@link LiteServiceRegistryBackend}: JDK classes only);
 * everything else the core's Typesafe Config reader and OkHttp/Jackson backends ({@link FullPath}), whose
 * libraries are made loadable only then ({@link BundledLibraries}).
 *
 * <p>A bad setting or {@code autoreg.enabled = false} in the config file turns the agent off with one
 * line on stderr; the application keeps running without registration.
 */
public final class LazyRegistration implements ListenerSink {

    private enum State {
        NOT_READ,
        OFF,
        SETTINGS_READ,
        ACTIVE
    }

    private final Map<String, String> overrides;
    private final EventQueue agentThread;
    private final Runnable turnOff;
    private final BundledLibraries libraries;
    private State state = State.NOT_READ;
    private AgentConfiguration settings;
    /** Set when the settings were read on the full path, which then creates the backend too. */
    private FullPath fullPath;

    private AgentRegistrar registrar;

    /**
     * @param overrides   agent arguments, keys relative to {@code autoreg.}
     * @param agentThread the agent thread's queue (readiness probes are scheduled on it)
     * @param turnOff     withdraws the hooks when the settings say no
     * @param libraries   the full path's libraries, made loadable when the fast path does not apply
     */
    public LazyRegistration(
            Map<String, String> overrides, EventQueue agentThread, Runnable turnOff, BundledLibraries libraries) {
        this.overrides = overrides;
        this.agentThread = agentThread;
        this.turnOff = turnOff;
        this.libraries = libraries;
    }

    @Override
    public void opened(Listener listener) {
        if (state == State.NOT_READ) {
            readSettings();
        }
        if (state == State.ACTIVE) {
            registrar.opened(listener);
        } else if (state == State.SETTINGS_READ && new ListenerPolicy(settings.agent()).admits(listener)) {
            activate();
            if (state == State.ACTIVE) {
                registrar.opened(listener);
            }
        }
    }

    @Override
    public void closed(Listener listener) {
        if (state == State.ACTIVE) {
            registrar.closed(listener);
        }
    }

    private void readSettings() {
        try {
            settings = LiteSettings.readOrNull(overrides, System.getProperties(), LiteEnvironment.variables());
            if (settings == null) {
                fullPath = libraries.fullPath();
                settings = fullPath.readSettings(overrides);
            }
            if (!settings.enabled()) {
                off(null);
                return;
            }
            state = State.SETTINGS_READ;
            // the log level is known only now: this is the first debug line an operator can see
            if (Log.enabled(Log.Level.DEBUG)) {
                Log.debug(AgentVersion.line() + ", settings read (" + (settings.lite() ? "lite" : "full") + " path)");
            }
            UnknownVariables.warnOf(LiteEnvironment.variables().keySet(), "agent", AgentSettings.SCHEMA);
        } catch (SettingsException e) {
            off("agent off, the application runs without registration: " + e.getMessage());
        } catch (IOException e) {
            off(librariesMissing(
                    "these settings (a config file, or a value the agent's own reader leaves to the core's) need", e));
        }
    }

    /**
     * Why the bundled libraries are missing, and the fix: they are read from a copy in the temp directory, which a
     * read-only root file system (a hardened pod) or a {@code java.io.tmpdir} that does not exist cannot take. Said
     * with the directory, so the operator need not know the agent's layout; where the settings themselves were the
     * reason (a value only the core's reader judges), their own error shows once the libraries load.
     */
    private static String librariesMissing(String whatNeeds, IOException e) {
        return "agent off, the application runs without registration: " + whatNeeds
                + " the agent's bundled libraries, which could not be copied to the temp directory or loaded"
                + " from there (" + Log.describe(e) + "); java.io.tmpdir is " + System.getProperty("java.io.tmpdir")
                + ": give the JVM a writable one (-Djava.io.tmpdir=DIR; on a read-only root file system, a volume"
                + " mounted there)";
    }

    private void activate() {
        RegistryBackend backend;
        try {
            // settings from the core's reader (a config file) take a light client too when one can serve them
            backend = lightBackend(settings.registry());
            if (Log.enabled(Log.Level.DEBUG)) {
                Log.debug("registry client for " + settings.registry().type() + ": "
                        + (backend != null ? "the agent's light client" : "the core's (the bundled libraries)"));
            }
            if (backend == null) {
                if (fullPath == null) {
                    fullPath = libraries.fullPath();
                }
                backend = fullPath.createBackend(settings.registry());
            }
        } catch (IOException e) {
            off(librariesMissing("registry type " + settings.registry().type() + " needs", e));
            return;
        } catch (SettingsException e) {
            off("agent off, the application runs without registration: " + e.getMessage());
            return;
        } catch (LinkageError e) {
            off("agent off: registry type " + settings.registry().type() + " is not available in the agent ("
                    + Log.describe(e) + ")");
            return;
        }
        AgentSettings agentSettings = settings.agent();
        // the interfaces are enumerated only if a listener bound to the wildcard address needs them
        InstanceFactory instances = new InstanceFactory(
                settings.service(),
                MainIdentity.ofThisJvm(),
                new AdvertisedHost(settings.service().address(), LiteEnvironment.variables()));
        Log.info("registering " + instances.serviceName() + " with "
                + UrlCredentials.redacted(settings.registry().url())); // a Eureka URL may carry a password
        RegistrationManager manager = new RegistrationManager(backend, settings.heartbeat());
        registrar = new AgentRegistrar(
                agentSettings,
                instances,
                new ReadinessProbe(agentSettings.readiness(), agentSettings.readinessPath(), agentThread),
                manager);
        ShutdownDeregistration.install(registrar, manager, agentSettings);
        state = State.ACTIVE;
    }

    /**
     * The client of the agent's own for these settings (service-registry, etcd, Eureka or Consul over plain HTTP), or
     * null when only the core's can speak to the registry (TLS, registro, zookeeper).
     */
    static RegistryBackend lightBackend(RegistrySettings registry) {
        if (LiteServiceRegistryBackend.serves(registry)) {
            return new LiteServiceRegistryBackend(registry);
        }
        if (LiteEtcdBackend.serves(registry)) {
            return new LiteEtcdBackend(registry);
        }
        if (LiteEurekaBackend.serves(registry)) {
            return new LiteEurekaBackend(registry);
        }
        if (LiteConsulBackend.serves(registry)) {
            return new LiteConsulBackend(registry);
        }
        return null;
    }

    private void off(String line) {
        state = State.OFF;
        if (line != null) {
            System.err.println("[autoreg] " + line);
        }
        turnOff.run();
    }
}
