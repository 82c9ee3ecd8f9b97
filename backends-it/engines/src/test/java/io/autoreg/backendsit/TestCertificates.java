package io.autoreg.backendsit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl
 * command line; keys are PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as autoreg reads them.
 */
record TestCertificates(Path dir, Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    static TestCertificates create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("autoreg-tls-");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=autoreg-test-ca",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt");
        // etcd's JSON gateway dials etcd's own gRPC port presenting the server certificate: it needs clientAuth.
        // No CommonNames: with auth enabled, etcd 3.4.22+ answers 400 to a gateway call whose client
        // certificate has a CN ("CommonName ... will be ignored"), as it cannot map it to a user there.
        issue(
                dir,
                "server",
                "/O=autoreg-test-server",
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        issue(dir, "client", "/O=autoreg-test-client", "extendedKeyUsage=clientAuth\n");
        return new TestCertificates(
                dir,
                dir.resolve("ca.crt"),
                dir.resolve("server.crt"),
                dir.resolve("server.key"),
                dir.resolve("client.crt"),
                dir.resolve("client.key"));
    }

    private static void issue(Path dir, String name, String subject, String extensions)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                subject,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                name + ".ext",
                "-out",
                name + ".crt");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + Files.readString(log));
        }
    }

    void delete() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
