package io.autoreg.agent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Accepts TCP connections on loopback and never answers: a registry that hangs. */
public final class BlackHoleServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public BlackHoleServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            held.add(server.accept());
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "black-hole");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1.0/default";
    }

    public int connections() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
