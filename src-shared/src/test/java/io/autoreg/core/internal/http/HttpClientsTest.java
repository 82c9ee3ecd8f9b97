package io.autoreg.core.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpClientsTest {

    @TempDir
    Path dir;

    private static RegistrySettings settings(String url, RegistrySettings.TlsSettings tls) {
        return new RegistrySettings(
                "service-registry",
                url,
                null,
                null,
                null,
                null,
                Duration.ofMillis(700),
                Duration.ofMillis(1300),
                tls,
                Map.of());
    }

    @Test
    void oneSharedClientAndVariantsThatShareItsPool() {
        assertSame(HttpClients.shared(), HttpClients.shared());
        OkHttpClient variant = HttpClients.forRegistry(
                settings("http://127.0.0.1:1/v1.0/t", new RegistrySettings.TlsSettings(null, null, null)));
        assertSame(HttpClients.shared().connectionPool(), variant.connectionPool());
        assertSame(HttpClients.shared().dispatcher(), variant.dispatcher());
        assertEquals(700, variant.connectTimeoutMillis());
        assertEquals(1300, variant.callTimeoutMillis());
        assertEquals(1300, variant.readTimeoutMillis());
    }

    /** openssl makes a self-signed certificate for loopback and its PKCS#8 key; fails with how to install it. */
    private Path[] selfSigned(String name, String... keyOptions) throws Exception {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509"));
        command.addAll(List.of(keyOptions));
        command.addAll(List.of(
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        run(command.toArray(new String[0]));
        Path p12 = dir.resolve(name + ".p12");
        run(
                "openssl",
                "pkcs12",
                "-export",
                "-in",
                cert.toString(),
                "-inkey",
                key.toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:changeit");
        return new Path[] {cert, key, p12};
    }

    private static void run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs openssl: apt-get install -y openssl", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    @Test
    void mutualTlsWithPemFiles() throws Exception {
        Path[] server = selfSigned("server", "-newkey", "rsa:2048");
        Path[] client = selfSigned("client", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        if (!Files.readString(client[1]).contains("BEGIN PRIVATE KEY")) {
            throw new AssertionError("expected a PKCS#8 key from openssl: "
                    + Files.readString(client[1]).lines().findFirst().orElse(""));
        }

        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server[2])) {
            serverKeys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys, "changeit".toCharArray());
        KeyStore trustClient = KeyStore.getInstance(KeyStore.getDefaultType());
        trustClient.load(null, null);
        try (InputStream in = Files.newInputStream(client[0])) {
            trustClient.setCertificateEntry(
                    "client", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustClient);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        MockWebServer https = new MockWebServer();
        https.useHttps(serverContext.getSocketFactory(), false);
        https.requireClientAuth();
        https.enqueue(new MockResponse().setBody("ok"));
        https.start(InetAddress.getLoopbackAddress(), 0);
        try {
            String url = https.url("/v1.0/t/limits").toString();
            // a cold JVM's first TLS handshake on a loaded 2-core machine can outlast the client's default call timeout
            OkHttpClient mutual = HttpClients.forRegistry(settings(
                            url,
                            new RegistrySettings.TlsSettings(
                                    server[0].toString(), client[0].toString(), client[1].toString())))
                    .newBuilder()
                    .callTimeout(java.time.Duration.ofSeconds(60))
                    .readTimeout(java.time.Duration.ofSeconds(60))
                    .build();
            try (Response r =
                    mutual.newCall(new Request.Builder().url(url).build()).execute()) {
                assertEquals(200, r.code());
                assertEquals("ok", r.body().string());
            }
            OkHttpClient noClientCert = HttpClients.forRegistry(
                    settings(url, new RegistrySettings.TlsSettings(server[0].toString(), null, null)));
            assertThrows(
                    IOException.class,
                    () -> noClientCert
                            .newCall(new Request.Builder().url(url).build())
                            .execute()
                            .close(),
                    "the server requires a client certificate");
            OkHttpClient untrusting = HttpClients.forRegistry(settings(
                    url,
                    new RegistrySettings.TlsSettings(
                            client[0].toString(), client[0].toString(), client[1].toString())));
            assertThrows(
                    IOException.class,
                    () -> untrusting
                            .newCall(new Request.Builder().url(url).build())
                            .execute()
                            .close(),
                    "a server certificate outside ca-file is refused");
        } finally {
            https.shutdown();
        }
    }

    @Test
    void aFileThatIsNotPemIsASettingsError() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        SettingsException e = assertThrows(
                SettingsException.class,
                () -> HttpClients.forRegistry(settings(
                        "https://127.0.0.1:1/v1.0/t", new RegistrySettings.TlsSettings(junk.toString(), null, null))));
        assertTrue(
                e.getMessage().startsWith("autoreg.registry.tls = null (TLS files): could not be loaded ("),
                e.getMessage());
    }
}
