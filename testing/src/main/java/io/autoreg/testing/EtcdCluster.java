package io.autoreg.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real three-member etcd cluster (Debian's etcd-server) on free loopback ports, plain HTTP: what a client given
 * several endpoints fails over between. A member can be stopped and started again on its data dir, rejoining.
 */
public final class EtcdCluster implements AutoCloseable {

    private static final int SIZE = 3;

    private final List<Member> members = new ArrayList<>();
    private final Http health = new Http();
    private Path root;

    private static final class Member {
        final String name;
        final int clientPort = FreePorts.next();
        final int peerPort = FreePorts.next();
        ChildProcess process;

        Member(int index) {
            this.name = "m" + index;
        }

        String url() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    public EtcdCluster() {
        for (int i = 0; i < SIZE; i++) {
            members.add(new Member(i));
        }
    }

    /** The members' client URLs, in order. */
    public List<String> urls() {
        return members.stream().map(Member::url).toList();
    }

    public String url(int member) {
        return members.get(member).url();
    }

    /** Starts every member (they wait for each other to elect a leader) and waits until each reports healthy. */
    public void start() throws Exception {
        root = Files.createTempDirectory("autoreg-etcd-cluster-");
        for (int i = 0; i < SIZE; i++) {
            launch(i);
        }
        for (int i = 0; i < SIZE; i++) {
            awaitHealthy(i);
        }
    }

    /** SIGTERM to one member; the other two keep the quorum. */
    public void stop(int member) throws IOException {
        Member m = members.get(member);
        if (m.process != null) {
            m.process.close();
            m.process = null;
        }
    }

    /** Starts a stopped member again on its data dir: it rejoins the cluster and catches up. */
    public void restart(int member) throws Exception {
        stop(member);
        launch(member);
        awaitHealthy(member);
    }

    private void launch(int index) throws IOException {
        Member m = members.get(index);
        List<String> cluster = new ArrayList<>();
        for (Member each : members) {
            cluster.add(each.name + "=" + each.peerUrl());
        }
        Path log = root.resolve(m.name + ".log");
        List<String> command =
                EtcdServer.memberCommand(m.name, root.resolve(m.name), m.url(), m.peerUrl(), String.join(",", cluster));
        // two clusters of ITs on one machine must not take each other's members
        command.addAll(List.of("--initial-cluster-token", "autoreg-it-" + root.getFileName()));
        m.process = ChildProcess.start("etcd " + m.name, command, log);
    }

    private void awaitHealthy(int index) {
        Member m = members.get(index);
        try {
            Await.until(
                    Duration.ofSeconds(30),
                    "etcd member " + m.name + " healthy at " + m.url() + "; " + m.process,
                    () -> m.process.isAlive() && health.getOk(m.url() + "/health"));
        } catch (AssertionError notUp) {
            throw new AssertionError(notUp.getMessage() + "\n" + m.process.logTail(), notUp);
        }
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < SIZE; i++) {
            stop(i);
        }
        if (root != null) {
            EtcdServer.deleteTree(root);
            root = null;
        }
    }
}
