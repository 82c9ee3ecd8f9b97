package io.autoreg.registry.dashboard;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The dashboard's plain files (HTML, JS, CSS; no build step), read once from the jar. The page itself talks to the
 * public API from the browser, with the operator's token; nothing here reads registry data.
 */
public final class DashboardRoute implements Route {
    private static final String RESOURCES = "/io/autoreg/registry/dashboard/";
    /**
     * The page loads its own script, style and API and nothing else (no inline code: the files are written so), and
     * no other site may frame it: an operator's token is typed into it, which a framing site could trick out of the
     * operator (clickjacking). {@code form-action 'none'}: the connect form is read by the script; were the script not to
     * run, the browser would otherwise submit the token in the page's URL.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] body;
    private final String contentType;

    DashboardRoute(String file, String contentType) {
        this.body = read(file);
        this.contentType = contentType;
    }

    /** The dashboard's routes by exact path: the page at "/", its script and style, and {@link DashboardInfoRoute}. */
    public static Map<String, Route> routes(boolean openMode) {
        return Map.of(
                "/", new DashboardRoute("index.html", "text/html; charset=UTF-8"),
                "/dashboard/app.js", new DashboardRoute("app.js", "text/javascript; charset=UTF-8"),
                "/dashboard/app.css", new DashboardRoute("app.css", "text/css; charset=UTF-8"),
                "/dashboard/info", new DashboardInfoRoute(openMode));
    }

    @Override
    public Reply handle(Call call) {
        boolean head = call.method().equals(Methods.HEAD);
        if (!call.method().equals(Methods.GET) && !head) {
            throw call.methodNotAllowed();
        }
        var headers = call.exchange().getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, contentType);
        // The files change with the jar; a browser revalidating on every load keeps an upgrade from mixing versions.
        headers.put(Headers.CACHE_CONTROL, "no-cache");
        headers.put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        headers.put(Headers.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        headers.put(Headers.X_FRAME_OPTIONS, "DENY"); // browsers without frame-ancestors
        headers.put(Headers.REFERRER_POLICY, "no-referrer");
        headers.put(Headers.CONTENT_LENGTH, body.length);
        if (head) {
            call.exchange().endExchange();
        } else {
            call.exchange().getResponseSender().send(ByteBuffer.wrap(body));
        }
        return null;
    }

    private static byte[] read(String file) {
        try (InputStream in = DashboardRoute.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
