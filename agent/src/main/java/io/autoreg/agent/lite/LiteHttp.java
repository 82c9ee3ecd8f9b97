package io.autoreg.agent.lite;

import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A minimal HTTP/1.1 client for the fast path: one persistent connection to the registry, re-opened
 * when the server has closed it, plain {@code http} only (anything else takes the core's OkHttp path).
 * The JDK's {@code HttpURLConnection} would pull ~50 classes, its logger and a keep-alive thread into
 * the host JVM for the same three calls.
 *
 * <p>Thread-safe: calls are serialised on the one connection (registration, heartbeats and the
 * shutdown hook's delete are few and short).
 */
final class LiteHttp {

    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_LINE = 8192;

    /** A status code and the body as text. */
    record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String host;
    private final int port;
    /** {@code host:port} for the Host header, made once. */
    private final String authority;

    private final String basePath;
    private final int connectMillis;
    private final int readMillis;
    /** The header a call's token goes in: {@code X-Auth-Token} (service-registry), {@code Authorization} (etcd). */
    private final String tokenHeader;
    /** {@code Basic …} from the URL's user info, sent with every call; null without user info. */
    private final String basicAuth;

    private LiteConnection connection;
    /**
     * The answer's bytes, read in blocks and scanned here: read a byte at a time (through a BufferedInputStream
     * and a StringBuilder), the few answers of a start made those JDK methods hot enough for the JIT to compile
     * them in a cold JVM, a cost the host paid for the agent (docs/benchmarks.md). Holds {@code [start, end)}.
     */
    private final byte[] buffer = new byte[2 * MAX_LINE];

    private int start;
    private int end;

    /** Whether this client can reach the registry of these settings: plain http, a host, no user info, no TLS files. */
    static boolean canSpeakTo(RegistrySettings settings) {
        return canSpeakTo(settings, false);
    }

    /**
     * As {@link #canSpeakTo(RegistrySettings)}, taking a URL's user info as HTTP basic auth when {@code basicAuth}
     * (Eureka's clients send it so; the core's {@code JsonHttp} does too, for the backends whose servers expect it).
     */
    static boolean canSpeakTo(RegistrySettings settings, boolean basicAuth) {
        RegistrySettings.TlsSettings tls = settings.tls();
        if (tls != null && (tls.caFile() != null || tls.certFile() != null || tls.keyFile() != null)) {
            return false;
        }
        for (String one : settings.urls()) {
            try {
                URI uri = new URI(one);
                if (!"http".equals(uri.getScheme())
                        || uri.getHost() == null
                        || (!basicAuth && uri.getRawUserInfo() != null)) {
                    return false;
                }
            } catch (URISyntaxException | RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** The base URL's path without a trailing '/', which every call's path is appended to ({@code /eureka}). */
    String basePath() {
        return basePath;
    }

    /**
     * A base URL as the core's client names a server (OkHttp's {@code HttpUrl}): without its user info, and with a '/'
     * for an empty path. Messages name servers this way on both paths.
     */
    static String withoutUserInfo(String baseUrl) {
        URI uri = URI.create(baseUrl);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    LiteHttp(String baseUrl, int connectMillis, int readMillis) {
        this(baseUrl, connectMillis, readMillis, "X-Auth-Token");
    }

    LiteHttp(String baseUrl, int connectMillis, int readMillis, String tokenHeader) {
        URI uri = URI.create(baseUrl);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a plain http URL: " + baseUrl);
        }
        // java.net.URI keeps an IPv6 literal's brackets; the socket takes it bare, the Host header re-adds them
        String bracketed = uri.getHost();
        this.host = bracketed.startsWith("[") ? bracketed.substring(1, bracketed.length() - 1) : bracketed;
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.authority = LiteConnection.authority(host, port);
        this.basicAuth = basicAuth(uri.getRawUserInfo());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.connectMillis = connectMillis;
        this.readMillis = readMillis;
        this.tokenHeader = tokenHeader;
    }

    /**
     * HTTP basic credentials from a URL's raw user info as OkHttp reads them: the name before the first ':', the
     * password after it, each percent-decoded, sent as UTF-8 ({@code Credentials.basic(…, UTF_8)}).
     */
    static String basicAuth(String rawUserInfo) {
        if (rawUserInfo == null) {
            return null;
        }
        int colon = rawUserInfo.indexOf(':');
        String user = percentDecoded(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? "" : percentDecoded(rawUserInfo.substring(colon + 1));
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String percentDecoded(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int hi = c == '%' && i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * One path segment, percent-encoded as OkHttp's {@code addPathSegment} does, so that both clients ask for the
     * same path: controls, space, {@code "<>^`{}|/\\?#%}, DEL and every non-ASCII character (as UTF-8 bytes).
     */
    static String pathSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || " \"<>^`{}|/\\?#%".indexOf(c) >= 0) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    /**
     * The error for an answer that is not a success, as the core's {@code JsonHttp} words it: "{@code backend what}
     * answered {@code status}: body" on one line, the body cut at 500 characters; a {@link RefusedException} (retried
     * slowly by the lifecycle) when {@code refusal}.
     */
    static IOException failure(String backend, String what, Answer answer, boolean refusal) {
        String line = answer.body().strip().replaceAll("\\s+", " ");
        String message = backend + " " + what + " answered " + answer.status() + ": "
                + (line.length() <= 500 ? line : line.substring(0, 500) + "…");
        return refusal ? new RefusedException(message) : new IOException(message);
    }

    /** Nothing for a 2xx; else {@link #failure}, a refusal by the core's default rule (a lasting 4xx). */
    static void expect(String backend, String what, Answer answer) throws IOException {
        if (!answer.ok()) {
            throw failure(backend, what, answer, RefusedException.isRefusal(answer.status(), null));
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * One exchange. A failure on a reused connection is replayed once on a fresh one only when the replay
     * cannot do the request twice — no byte of it was written, or the method is idempotent and the
     * registry did not merely answer slowly — as OkHttp's {@code RetryAndFollowUpInterceptor.isRecoverable}
     * decides. A heartbeat whose answer timed out was very likely applied: replaying it would present a
     * spent token (404), and the registration would then wait for its own stale entry to expire.
     */
    synchronized Answer call(String method, String path, String json, String token) throws IOException {
        if (connection != null && !isUsable()) {
            close();
        }
        boolean reused = connection != null;
        Exchange exchange = new Exchange();
        try {
            return exchange(exchange, method, path, json, token);
        } catch (IOException e) {
            close();
            if (!reused || !isReplayable(method, exchange, e)) {
                throw e;
            }
            try {
                return exchange(new Exchange(), method, path, json, token);
            } catch (IOException again) {
                close();
                throw again;
            }
        }
    }

    /** What one attempt got as far as. */
    private static final class Exchange {
        boolean requestStarted;
    }

    static boolean isIdempotent(String method) {
        return method.equals("GET")
                || method.equals("HEAD")
                || method.equals("PUT")
                || method.equals("DELETE")
                || method.equals("OPTIONS");
    }

    private static boolean isReplayable(String method, Exchange exchange, IOException e) {
        if (!exchange.requestStarted) {
            return true;
        }
        return isIdempotent(method) && !(e instanceof SocketTimeoutException);
    }

    /**
     * Whether the idle connection is still open: the registry (or a proxy) may have closed it since the last call.
     * A read of at most 1 ms tells, so the usual stale keep-alive connection is replaced before any byte of a
     * request goes out.
     */
    private boolean isUsable() {
        if (start < end) {
            return false; // bytes nobody asked for: the framing cannot be trusted
        }
        return connection.isIdleAndOpen();
    }

    private Answer exchange(Exchange exchange, String method, String path, String json, String token)
            throws IOException {
        if (connection == null) {
            connection = LiteConnection.open(host, port, connectMillis);
            start = 0;
            end = 0;
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(basePath)
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(authority)
                .append("\r\n")
                .append("Accept: application/json\r\nUser-Agent: autoreg-agent\r\n");
        if (token != null) {
            head.append(tokenHeader).append(": ").append(token).append("\r\n");
        }
        if (basicAuth != null) {
            head.append("Authorization: ").append(basicAuth).append("\r\n");
        }
        if (json != null) {
            head.append("Content-Type: application/json; charset=UTF-8\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] request = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body.length > 0) {
            byte[] whole = new byte[request.length + body.length];
            System.arraycopy(request, 0, whole, 0, request.length);
            System.arraycopy(body, 0, whole, request.length, body.length);
            request = whole;
        }
        // one write of a request far smaller than the socket's send buffer: the kernel takes it whole, or
        // the write fails on a connection the registry had already reset and so never read from
        connection.write(request, readMillis);
        exchange.requestStarted = true;
        return readAnswer(method);
    }

    private Answer readAnswer(String method) throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = status.startsWith("HTTP/1.0");
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            // compared ignoring case rather than lower-cased: toLowerCase calls the JDK's case mapping for every
            // char of every header, enough calls in a cold JVM to make it hot for the JIT
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                // chunked is the final coding when present (RFC 9112, 6.3); otherwise the body runs to the close
                chunked = value.regionMatches(
                        true, value.length() - "chunked".length(), "chunked", 0, "chunked".length());
            } else if (name.equalsIgnoreCase("connection")) {
                closeAfter = value.equalsIgnoreCase("close");
            }
        }
        String body;
        if (method.equals("HEAD") || code == 204 || code == 304 || code / 100 == 1) {
            body = "";
        } else if (chunked) {
            body = chunkedBody();
        } else if (length >= 0) {
            body = fixedBody(length);
        } else {
            body = fixedBody(MAX_BODY);
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Answer(code, body);
    }

    private String fixedBody(long length) throws IOException {
        if (length > MAX_BODY) {
            throw new IOException("answer too large: " + length + " bytes");
        }
        return new String(take((int) length), StandardCharsets.UTF_8);
    }

    private String chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int chunk = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (chunk == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            if (body.size() + chunk > MAX_BODY) {
                throw new IOException("answer too large");
            }
            body.write(take(chunk));
            line();
        }
    }

    /** One CRLF-terminated line (ISO-8859-1); EOF before it is an IOException (the connection is gone). */
    private String line() throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    int to = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buffer, start, to - start, StandardCharsets.ISO_8859_1);
                    start = i + 1;
                    return line;
                }
            }
            int seen = end - start;
            if (seen > MAX_LINE) {
                throw new IOException("header line too long");
            }
            fill();
            scanned = start + seen;
        }
    }

    /** Reads more of the answer after what the buffer holds (moved to its front first). */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = connection.read(buffer, end, buffer.length - end, readMillis);
        if (n < 0) {
            throw new IOException("connection closed by the registry");
        }
        end += n;
    }

    /** The next {@code length} bytes, or fewer if the registry closes the connection first. */
    private byte[] take(int length) throws IOException {
        byte[] bytes = new byte[length];
        int buffered = Math.min(length, end - start);
        System.arraycopy(buffer, start, bytes, 0, buffered);
        start += buffered;
        int read = buffered;
        while (read < length) {
            int n = connection.read(bytes, read, length - read, readMillis);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read == length ? bytes : Arrays.copyOf(bytes, read);
    }

    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connection = null;
        start = 0;
        end = 0;
    }
}
