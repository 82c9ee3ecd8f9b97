package io.autoreg.core.internal.backend.zookeeper;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * ZooKeeper in Curator's x-discovery layout: an ephemeral node {@code <basePath>/<name>/<id>} (base path
 * option {@code autoreg.registry.zookeeper.base-path}, default {@value #DEFAULT_BASE_PATH}) holding the
 * instance JSON that Curator's {@code ServiceDiscovery} and Spring Cloud Zookeeper read.
 *
 * <p>Curator consumers deserialize the payload by its {@code @class} type id, so a payload is only
 * readable where its class exists. Option {@code autoreg.registry.zookeeper.payload}: {@code spring-cloud}
 * (default) writes Spring Cloud Zookeeper's {@code ZookeeperInstance} with the metadata, which Spring
 * Cloud consumers read; {@code none} writes no payload, which every Curator consumer reads whatever its
 * payload type.
 *
 * <p>The ZooKeeper session is the heartbeat: its timeout is the first registration's TTL, Curator
 * keeps it alive, and when the process dies the server drops the node with the session. After a
 * session expiry the node is gone: as soon as Curator has a new session the nodes are created again
 * (as Curator's own ServiceDiscovery does), and {@link #renew} also notices a missing node, or one of
 * another session, so the lifecycle registers again.
 *
 * <p>Curator is an optional dependency of the core: only this backend needs it.
 */
public final class ZookeeperRegistry implements RegistryBackend {

    public static final String TYPE = "zookeeper";
    public static final String DEFAULT_BASE_PATH = "/services";

    private final String connectString;
    private final String basePath;
    private final Duration connectTimeout;
    private final boolean springCloudPayload;
    private final Clock clock;
    private CuratorFramework client;
    /** The nodes this backend holds (path to data), to create again after a session loss. */
    private final Map<String, byte[]> held = new ConcurrentHashMap<>();
    /** Orders re-creation against deregistration, so a node just removed is not brought back. */
    private final Object heldLock = new Object();

    public ZookeeperRegistry(RegistrySettings settings) {
        this(settings, Clock.systemUTC());
    }

    ZookeeperRegistry(RegistrySettings settings, Clock clock) {
        this.connectString = settings.url();
        Map<String, String> options = settings.options() == null ? Map.of() : settings.options();
        String base = options.getOrDefault("base-path", DEFAULT_BASE_PATH);
        this.basePath = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.connectTimeout = settings.connectTimeout();
        String payload = options.getOrDefault("payload", "spring-cloud");
        if (!payload.equals("spring-cloud") && !payload.equals("none")) {
            throw new SettingsException(
                    "autoreg.registry.zookeeper.payload", "registry settings", payload, "spring-cloud | none");
        }
        this.springCloudPayload = payload.equals("spring-cloud");
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The node of an instance: {@code <basePath>/<name>/<id>}. */
    public String pathOf(ServiceInstance instance) {
        return basePath + "/" + instance.name() + "/" + instance.id();
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        CuratorFramework zk = client(ttl);
        String path = pathOf(instance);
        byte[] data = CuratorInstanceJson.of(instance, clock.millis(), springCloudPayload);
        try {
            try {
                zk.create()
                        .creatingParentContainersIfNeeded()
                        .withMode(CreateMode.EPHEMERAL)
                        .forPath(path, data);
            } catch (KeeperException.NodeExistsException stale) {
                // Left by an earlier session of ours (or a crashed predecessor whose session has not
                // expired yet): replace it, as Curator's own ServiceDiscovery does.
                zk.delete().quietly().forPath(path);
                zk.create()
                        .creatingParentContainersIfNeeded()
                        .withMode(CreateMode.EPHEMERAL)
                        .forPath(path, data);
            }
            held.put(path, data);
            return new ZookeeperLease(instance);
        } catch (Exception e) {
            throw asIo("create " + path, e);
        }
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        String path = pathOf(lease.instance());
        try {
            Stat stat = client(null).checkExists().forPath(path);
            // A node owned by another session is not ours: our session expired and someone (maybe a
            // predecessor with the same id) holds the path. Registering again replaces it.
            return stat != null && stat.getEphemeralOwner() == currentSessionId();
        } catch (Exception e) {
            throw asIo("check " + path, e);
        }
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        String path = pathOf(lease.instance());
        synchronized (heldLock) {
            held.remove(path);
            try {
                client(null).delete().quietly().forPath(path);
            } catch (Exception e) {
                throw asIo("delete " + path, e);
            }
        }
    }

    /** On a new session (Curator reports RECONNECTED after a loss too): create the nodes that are gone. */
    private void recreateMissing(CuratorFramework zk) {
        for (String path : held.keySet()) {
            synchronized (heldLock) {
                byte[] data = held.get(path);
                if (data == null) {
                    continue;
                }
                try {
                    if (zk.checkExists().forPath(path) == null) {
                        zk.create()
                                .creatingParentContainersIfNeeded()
                                .withMode(CreateMode.EPHEMERAL)
                                .forPath(path, data);
                    }
                } catch (KeeperException.NodeExistsException createdMeanwhile) {
                    // the lifecycle's own re-registration was faster
                } catch (Exception e) {
                    // The lifecycle's next renewal finds the node missing and registers again.
                    Log.warn("zookeeper: could not re-create " + path + " after reconnecting: " + e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private long currentSessionId() throws Exception {
        return client(null).getZookeeperClient().getZooKeeper().getSessionId();
    }

    /** The Curator client, started on first use with the session timeout of the first registration. */
    private synchronized CuratorFramework client(Duration sessionTimeout) throws IOException {
        if (client == null) {
            if (sessionTimeout == null) {
                throw new IOException("zookeeper: not connected (nothing registered yet)");
            }
            int connectMs = (int) connectTimeout.toMillis();
            client = CuratorFrameworkFactory.builder()
                    .connectString(connectString)
                    .sessionTimeoutMs((int) sessionTimeout.toMillis())
                    .connectionTimeoutMs(connectMs)
                    // One retry only: each call is bounded by about two connect timeouts, and the
                    // lifecycle does its own retrying with backoff.
                    .retryPolicy(new RetryNTimes(1, 100))
                    .threadFactory(daemonThreads())
                    .build();
            client.getConnectionStateListenable().addListener((zk, state) -> {
                if (state == ConnectionState.RECONNECTED) {
                    recreateMissing(zk);
                }
            });
            client.start();
        }
        try {
            if (!client.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
                throw new IOException("zookeeper: cannot connect to " + connectString);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to zookeeper");
        }
        return client;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "autoreg-zookeeper-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static IOException asIo(String what, Exception e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IOException("zookeeper " + what + ": " + e, e);
    }

    record ZookeeperLease(ServiceInstance instance) implements Lease {}
}
