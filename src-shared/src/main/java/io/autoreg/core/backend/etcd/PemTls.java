package io.autoreg.core.backend.etcd;

import io.autoreg.core.settings.RegistrySettings.TlsSettings;
import okhttp3.OkHttpClient;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS from PEM files with the JDK alone (no Bouncy Castle in host JVMs): a CA bundle to trust and,
 * for client-certificate authentication, a certificate chain with its PKCS#8 private key
 * ({@code -----BEGIN PRIVATE KEY-----}; convert PKCS#1 keys with {@code openssl pkcs8 -topk8 -nocrypt}).
 */
final class PemTls {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /** The client with the configured TLS material, or the client itself when no file is configured. */
    static OkHttpClient apply(OkHttpClient client, TlsSettings tls) {
        if (tls == null || (tls.caFile() == null && tls.certFile() == null)) {
            return client;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(tls.caFile() == null ? null : trustStore(Path.of(tls.caFile())));
            X509TrustManager trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
            KeyManager[] keyManagers = null;
            if (tls.certFile() != null) {
                if (tls.keyFile() == null) {
                    throw new IllegalArgumentException("autoreg.registry.tls.cert-file needs tls.key-file");
                }
                keyManagers = keyManagers(Path.of(tls.certFile()), Path.of(tls.keyFile()));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {trustManager}, null);
            return client.newBuilder().sslSocketFactory(context.getSocketFactory(), trustManager).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS files " + tls, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TLS files " + tls + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate ca : certificates(caFile)) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        return store;
    }

    private static KeyManager[] keyManagers(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>(certificates(certFile));
        KeyStore store = emptyStore();
        store.setKeyEntry("client", privateKey(keyFile), NO_PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, NO_PASSWORD);
        return kmf.getKeyManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException(keyFile + " holds no PKCS#8 'BEGIN PRIVATE KEY' block");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                last = wrongAlgorithm;
            }
        }
        throw last;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load((InputStream) null, NO_PASSWORD);
        return store;
    }
}
