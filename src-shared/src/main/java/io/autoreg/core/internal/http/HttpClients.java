package io.autoreg.core.internal.http;

import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The one OkHttp client of the process (docs/api.md §8: one persistent connection pool shared by everything).
 * Variants with other timeouts or TLS are made with {@link OkHttpClient#newBuilder()} from
 * {@link #shared()}, so they share its pool and dispatcher.
 */
public final class HttpClients {

    private HttpClients() {}

    private static final class Holder {
        static final OkHttpClient SHARED = create();

        private static OkHttpClient create() {
            AtomicInteger n = new AtomicInteger();
            // Async calls (the events watcher's long poll) run on daemon threads of our own naming,
            // so they never keep a host JVM alive.
            ExecutorService executor =
                    new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "autoreg-http-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            return new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
                    .dispatcher(new Dispatcher(executor))
                    .connectTimeout(Duration.ofSeconds(2))
                    .readTimeout(Duration.ofSeconds(10))
                    .writeTimeout(Duration.ofSeconds(10))
                    .callTimeout(Duration.ofSeconds(15))
                    .retryOnConnectionFailure(true)
                    .build();
        }
    }

    /** The process-wide client; never close or shut down its pool. */
    public static OkHttpClient shared() {
        return Holder.SHARED;
    }

    /**
     * A variant for one registry: its connect timeout, its request timeout as the overall call and read
     * timeout, and its TLS files (PEM CA bundle; PEM certificate chain with a PKCS#8 PEM key).
     */
    public static OkHttpClient forRegistry(RegistrySettings settings) {
        OkHttpClient.Builder builder = shared().newBuilder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.requestTimeout())
                .writeTimeout(settings.requestTimeout())
                .callTimeout(settings.requestTimeout());
        RegistrySettings.TlsSettings tls = settings.tls();
        if (tls != null && (tls.caFile() != null || tls.certFile() != null)) {
            applyTls(builder, tls);
        }
        return builder.build();
    }

    private static void applyTls(OkHttpClient.Builder builder, RegistrySettings.TlsSettings tls) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(tls.caFile())) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            X509TrustManager trustManager = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    trustManager = x;
                }
            }
            KeyManagerFactory kmf = null;
            if (tls.certFile() != null) {
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry(
                        "client",
                        privateKey(tls.keyFile()),
                        none,
                        certificates(tls.certFile()).toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {trustManager}, null);
            builder.sslSocketFactory(context.getSocketFactory(), trustManager);
        } catch (IOException | GeneralSecurityException e) {
            throw new SettingsException(
                    "autoreg.registry.tls",
                    "TLS files",
                    null,
                    "could not be loaded (" + e.getMessage() + "); expected PEM certificates and a PKCS#8 PEM key");
        }
    }

    private static Collection<? extends Certificate> certificates(String file)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        StringBuilder base64 = new StringBuilder();
        boolean inside = false;
        for (String line : pem.split("\\R")) {
            if (line.startsWith("-----BEGIN PRIVATE KEY")) {
                inside = true;
            } else if (line.startsWith("-----END")) {
                inside = false;
            } else if (inside) {
                base64.append(line.trim());
            }
        }
        if (base64.length() == 0) {
            throw new GeneralSecurityException("no -----BEGIN PRIVATE KEY----- block in " + file);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.toString()));
        List<String> algorithms = new ArrayList<>(List.of("RSA", "EC", "Ed25519"));
        GeneralSecurityException last = null;
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
