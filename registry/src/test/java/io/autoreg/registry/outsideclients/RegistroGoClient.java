package io.autoreg.registry.outsideclients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Registro's Go client (mscansian/registro, package client) as it talks on the wire: the same calls in the same
 * order, the same bodies (Go's {@code json.MarshalIndent(v, "", "  ")} of its Application and Instance structs),
 * the headers Go's net/http sends, no token, and the same status checks. Each request goes on a fresh socket,
 * as the client's {@code http.Get}/{@code http.Post} calls without a shared transport do.
 */
final class RegistroGoClient {
    /** A status other than the one the client expects: Go's {@code UnexpectedCodeError}. */
    static final class UnexpectedCodeError extends RuntimeException {
        final int code;
        final String body;

        UnexpectedCodeError(int code, String body) {
            super("unexpected code " + code + ": " + body);
            this.code = code;
            this.body = body;
        }
    }

    record Instance(String id, String ip, int port, String status, long lastRenewal) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String host;
    private final int port;
    /** The client's ServiceUrl path, e.g. "/registro"; it appends "/1.0" + the call's path. */
    private final String serviceUrlPath;
    /** Only for the tests of a secured registry: a header Registro's client never sends. */
    private final String token;

    RegistroGoClient(int port, String token) {
        this.host = "127.0.0.1";
        this.port = port;
        this.serviceUrlPath = "/registro";
        this.token = token;
    }

    RegistroGoClient(int port) {
        this(port, null);
    }

    /** client.RegisterService: GetApp, NewApp if that failed, then NewInstance. */
    void registerService(String id, String appName, String ip, int instancePort) {
        if (!getAppNames().contains(appName)) {
            newApp(appName);
        }
        newInstance(appName, id, ip, instancePort);
    }

    /** client.GetApps: GET /apps, expects 200, reads "applications". */
    List<String> getAppNames() {
        JsonNode apps = json(send("GET", "/apps", null, 200)).path("applications");
        List<String> names = new ArrayList<>();
        apps.forEach(app -> names.add(app.path("name").asText()));
        return names;
    }

    /** client.NewApp: POST /apps with {"name", "instances": []}, expects 201. */
    void newApp(String name) {
        send("POST", "/apps", "{\n  \"name\": " + quote(name) + ",\n  \"instances\": []\n}", 201);
    }

    /** client.NewInstance: POST /apps/{app} with NewInstance's fields (status starting, now in seconds). */
    void newInstance(String app, String id, String ip, int instancePort) {
        newInstance(app, id, ip, instancePort, "starting", System.currentTimeMillis() / 1000);
    }

    void newInstance(String app, String id, String ip, int instancePort, String status, long lastRenewal) {
        send(
                "POST",
                "/apps/" + app,
                "{\n  \"id\": " + quote(id) + ",\n  \"ip\": " + quote(ip) + ",\n  \"port\": " + instancePort
                        + ",\n  \"status\": " + quote(status) + ",\n  \"lastRenewal\": " + lastRenewal + "\n}",
                201);
    }

    /** client.RenewInstance: PUT /apps/{app}/{id} without a body, expects 204. */
    void renewInstance(String app, String id) {
        send("PUT", "/apps/" + app + "/" + id, null, 204);
    }

    /** client.DeleteInstance: DELETE /apps/{app}/{id}, expects 204. */
    void deleteInstance(String app, String id) {
        send("DELETE", "/apps/" + app + "/" + id, null, 204);
    }

    /** client.UpdateApplication: GET /apps/{app}, expects 200, reads "instances". */
    List<Instance> instances(String app) {
        List<Instance> out = new ArrayList<>();
        for (JsonNode i : json(send("GET", "/apps/" + app, null, 200)).path("instances")) {
            out.add(new Instance(
                    i.path("id").asText(),
                    i.path("ip").asText(),
                    i.path("port").asInt(),
                    i.path("status").asText(),
                    i.path("lastRenewal").asLong()));
        }
        return out;
    }

    /** Application.GetAvailableInstances: the instances whose status is "up". */
    List<Instance> availableInstances(String app) {
        return instances(app).stream().filter(i -> i.status().equals("up")).toList();
    }

    private String send(String method, String path, String body, int expectedCode) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(serviceUrlPath)
                .append("/1.0")
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\nUser-Agent: Go-http-client/1.1\r\n");
        if (bytes != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\nContent-Type: application/json\r\n");
        } else if (method.equals("PUT") || method.equals("POST")) {
            head.append("Content-Length: 0\r\n"); // what net/http sends for a PUT with a nil body
        }
        if (token != null) {
            head.append("X-Auth-Token: ").append(token).append("\r\n");
        }
        head.append("Accept-Encoding: gzip\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (bytes != null) {
                socket.getOutputStream().write(bytes);
            }
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int code = Integer.parseInt(response.substring(9, 12));
            String responseBody = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (response.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
                throw new IllegalStateException("a chunked answer; this helper reads plain bodies only: " + response);
            }
            if (code != expectedCode) {
                throw new UnexpectedCodeError(code, responseBody);
            }
            return responseBody;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
