package io.autoreg.registry.badinput;

import io.autoreg.registry.conformance.Answer;
import io.autoreg.registry.conformance.RegistryHttp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One malformed request of the table: sent through the JDK client, with a fixed-length or a chunked
 * body. Requests the JDK client cannot express are {@link RawRequest}s instead.
 */
record Malformed(
        String name,
        String method,
        String path,
        byte[] body,
        String contentType,
        Map<String, String> headers,
        boolean chunked)
        implements BadRequest {

    static Malformed of(String name, String method, String path, String body) {
        return new Malformed(
                name,
                method,
                path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                body == null ? null : RegistryHttp.JSON,
                Map.of(),
                false);
    }

    static Malformed bytes(String name, String method, String path, byte[] body) {
        return new Malformed(name, method, path, body, RegistryHttp.JSON, Map.of(), false);
    }

    Malformed withContentType(String type) {
        return new Malformed(name, method, path, body, type, headers, chunked);
    }

    Malformed withHeaders(Map<String, String> extra) {
        return new Malformed(name, method, path, body, contentType, extra, chunked);
    }

    Malformed chunkedBody() {
        return new Malformed(name, method, path, body, contentType, headers, true);
    }

    @Override
    public Answer send(RegistryHttp http) {
        if (!chunked) {
            return http.send(method, URI.create(http.root() + path), body, contentType, headers);
        }
        HttpRequest.Builder request = http.requestTo(path)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return http.exchange(name, request.build());
    }

    @Override
    public String toString() {
        return name;
    }
}
