package io.autoreg.sidecar.run;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import okhttp3.OkHttpClient;

/**
 * TLS for an {@code https} probe: any certificate, any host name — what the kubelet's HTTPS probes do. A probe asks
 * a neighbour whether it serves, with no credentials and nothing read but the health answer; the neighbour's
 * certificate names its public host (or is its own self-signed one), not the loopback address it is probed on, so a
 * verified handshake would fail every probe of a healthy neighbour. Never used for the registry, whose client
 * verifies (docs/settings.md, {@code autoreg.registry.tls}).
 */
final class ProbeTls {

    private ProbeTls() {}

    /** The client with TLS that trusts what the neighbour presents. */
    static OkHttpClient.Builder unverified(OkHttpClient.Builder builder) {
        AnyCertificate trust = new AnyCertificate();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return builder.sslSocketFactory(context.getSocketFactory(), trust)
                    .hostnameVerifier((host, session) -> true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no TLS: " + e, e);
        }
    }

    /** Extended, so the JDK does not wrap it in checks of its own (host name, algorithm constraints). */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
