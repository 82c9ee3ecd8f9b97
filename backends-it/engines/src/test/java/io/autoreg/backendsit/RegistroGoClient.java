package io.autoreg.backendsit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Registro's own Go client ({@code github.com/mscansian/registro/client}) transcribed call for call: what
 * a consumer of Registro sends and how it reads the answers. {@code ServiceUrl} is the server's
 * {@code …/registro}; every call appends {@code /1.0}; an answer other than the one expected is an
 * {@code UnexpectedCodeError}. Consumers pick instances with {@code Application.GetAvailableInstances},
 * which keeps only those whose status is {@code up}.
 */
final class RegistroGoClient {

    /** client.Instance: {@code id, ip, port, status, lastRenewal}. */
    record Instance(String id, String ip, long port, String status, long lastRenewal) {}

    /** client.UnexpectedCodeError. */
    static final class UnexpectedCodeError extends IOException {
        final int code;

        UnexpectedCodeError(int code) {
            super("unexpected http code: " + code);
            this.code = code;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(5))
            .followRedirects(false)
            .build();

    private final String serviceUrl;

    /** client.NewClient(url). */
    RegistroGoClient(String serviceUrl) {
        this.serviceUrl = serviceUrl;
    }

    /** client.RegisterService: GetApp (from GetApps), NewApp if missing, then NewInstance. */
    Instance registerService(String id, String appName, String ip, int port, long nowSeconds) throws IOException {
        boolean found = false;
        for (JsonNode app : getApps()) {
            found |= appName.equals(app.path("name").asText());
        }
        if (!found) {
            newApp(appName);
        }
        return newInstance(appName, id, ip, port, nowSeconds);
    }

    /** client.GetApps: {@code GET /apps}, 200, {@code applications}. */
    List<JsonNode> getApps() throws IOException {
        List<JsonNode> apps = new ArrayList<>();
        get("/apps").path("applications").forEach(apps::add);
        return apps;
    }

    /** client.NewApp: the marshalled {@code Application{Name, Instances: []}}, expecting 201. */
    void newApp(String name) throws IOException {
        ObjectNode app = MAPPER.createObjectNode().put("name", name);
        app.putArray("instances");
        post("/apps", app);
    }

    /** client.NewInstance: the marshalled {@code Instance}, status {@code starting}, expecting 201. */
    Instance newInstance(String appName, String id, String ip, int port, long nowSeconds) throws IOException {
        Instance instance = new Instance(id, ip, port, "starting", nowSeconds);
        post("/apps/" + appName, MAPPER.valueToTree(instance));
        return instance;
    }

    /** client.UpdateApplication: {@code GET /apps/{name}}, 200, its {@code instances}. */
    List<Instance> updateApplication(String appName) throws IOException {
        List<Instance> instances = new ArrayList<>();
        for (JsonNode node : get("/apps/" + appName).path("instances")) {
            instances.add(new Instance(
                    node.path("id").asText(),
                    node.path("ip").asText(),
                    node.path("port").asLong(),
                    node.path("status").asText(),
                    node.path("lastRenewal").asLong()));
        }
        return instances;
    }

    /** UpdateApplication, then Application.GetAvailableInstances: the instances whose status is {@code up}. */
    List<Instance> availableInstances(String appName) throws IOException {
        return updateApplication(appName).stream()
                .filter(i -> i.status().equals("up"))
                .toList();
    }

    /** client.RenewInstance: {@code PUT /apps/{app}/{id}}, expecting 204. */
    void renewInstance(String appName, String id) throws IOException {
        expect(
                new Request.Builder()
                        .url(serviceUrl + "/1.0/apps/" + appName + "/" + id)
                        .put(RequestBody.create(new byte[0], null))
                        .build(),
                204);
    }

    /** client.DeleteInstance: {@code DELETE /apps/{app}/{id}}, expecting 204. */
    void deleteInstance(String appName, String id) throws IOException {
        expect(
                new Request.Builder()
                        .url(serviceUrl + "/1.0/apps/" + appName + "/" + id)
                        .delete()
                        .build(),
                204);
    }

    private JsonNode get(String path) throws IOException {
        return MAPPER.readTree(expect(
                new Request.Builder().url(serviceUrl + "/1.0" + path).get().build(), 200));
    }

    private void post(String path, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        expect(
                new Request.Builder()
                        .url(serviceUrl + "/1.0" + path)
                        .post(RequestBody.create(bytes, JSON))
                        .build(),
                201);
    }

    private static String expect(Request request, int code) throws IOException {
        try (Response response = HTTP.newCall(request).execute()) {
            if (response.code() != code) {
                throw new UnexpectedCodeError(response.code());
            }
            return response.body() == null ? "" : response.body().string();
        }
    }
}
