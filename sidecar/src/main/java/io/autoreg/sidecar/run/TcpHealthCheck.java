package io.autoreg.sidecar.run;

import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A TCP connect to host:port within the timeout; the connection is closed at once. */
final class TcpHealthCheck implements HealthCheck {
    private final String host;
    private final int port;
    private final int timeoutMillis;

    TcpHealthCheck(CheckSettings check) {
        this.host = check.host();
        this.port = check.port();
        this.timeoutMillis =
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, check.timeout().toMillis()));
    }

    @Override
    public Result probe() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return Result.pass("connected");
        } catch (IOException e) {
            return Result.fail(Log.describe(e));
        }
    }
}
