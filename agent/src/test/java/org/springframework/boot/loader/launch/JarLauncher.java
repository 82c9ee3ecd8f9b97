package org.springframework.boot.loader.launch;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for Spring Boot's launcher, the main class of an unpacked, layered Spring Boot image: what the agent sees
 * of such an application is this class name and the application's manifest on the class path.
 */
public final class JarLauncher {

    private JarLauncher() {}

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 16);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println(
                "spring boot launcher listening on port " + server.getAddress().getPort());
        System.out.flush();
        new CountDownLatch(1).await(); // until the test ends the JVM
    }
}
