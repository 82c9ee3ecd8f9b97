package io.autoreg.registry.http;

import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * GET /openapi.json: the OpenAPI 3.1 document of every route this server answers, a static file of the jar read
 * once at start (a missing file fails the start, not a request). OpenApiWalkIT keeps it true to the live answers.
 */
public final class OpenApiRoute implements Route {
    private static final String RESOURCE = "/io/autoreg/registry/openapi.json";
    private final byte[] document;

    public OpenApiRoute() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Reply handle(Call call) {
        if (!call.method().equals(Methods.GET) && !call.method().equals(Methods.HEAD)) {
            throw call.methodNotAllowed();
        }
        return Reply.okUtf8(document);
    }
}
