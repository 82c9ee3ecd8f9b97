package io.autoreg.core.internal.backend.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scripted HTTP server on a free loopback port for one test ({@code @RegisterExtension}): the HTTP
 * backends' unit tests play an engine's answers with it and read the requests back. Started before the
 * test class's {@code @BeforeEach} methods, shut down after each test.
 */
public final class ScriptedServer implements BeforeEachCallback, AfterEachCallback {

    private final String engine;
    private MockWebServer server;

    /** @param engine what it stands for, in failure messages ("expected a request to Consul") */
    public ScriptedServer(String engine) {
        this.engine = engine;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.shutdown();
    }

    public void enqueue(MockResponse response) {
        server.enqueue(response);
    }

    /** Answers by request instead of by order. */
    public void setDispatcher(Dispatcher dispatcher) {
        server.setDispatcher(dispatcher);
    }

    public String url(String path) {
        return server.url(path).toString();
    }

    public int getRequestCount() {
        return server.getRequestCount();
    }

    /** The next request the server received, waiting 5 s at most. */
    public RecordedRequest next() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "expected a request to " + engine);
        return request;
    }

    /** Settings of a backend at {@code path} on this server, with short timeouts and no TLS. */
    public RegistrySettings settings(
            String type, String path, String token, String user, String password, Map<String, String> options) {
        return new RegistrySettings(
                type,
                url(path),
                token,
                user,
                password,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                options);
    }
}
