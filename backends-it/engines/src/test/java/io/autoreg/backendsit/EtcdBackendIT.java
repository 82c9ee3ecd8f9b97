package io.autoreg.backendsit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.model.ServiceInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The etcd backend against a real etcd; consumers read it with a prefix range over the JSON gateway. */
class EtcdBackendIT extends BackendContract {

    private static final String PREFIX = "/autoreg/services/orders/";
    private static final EtcdEngine ETCD = new EtcdEngine();
    private final Http http = new Http();

    @BeforeAll
    static void startEtcd() throws Exception {
        ETCD.start();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        ETCD.close();
    }

    @Override
    protected String type() {
        return "etcd";
    }

    @Override
    protected String url() {
        return ETCD.url();
    }

    @Override
    protected Duration expiryBound() {
        // The lease is three renewal intervals (3 s here); etcd checks expiry every 500 ms.
        return Duration.ofSeconds(8);
    }

    /** A consumer's prefix range over {@code <prefix>/orders/}, then the entry with the instance's id. */
    @Override
    protected Seen lookup(ServiceInstance instance) throws Exception {
        ObjectNode range = Http.mapper().createObjectNode()
                .put("key", base64(PREFIX))
                .put("range_end", base64(prefixEnd(PREFIX)));
        JsonNode answer = http.postJson(url() + "/v3/kv/range", range);
        for (JsonNode kv : answer.path("kvs")) {
            JsonNode value = Http.mapper().readTree(Base64.getDecoder().decode(kv.get("value").asText()));
            if (instance.id().equals(value.path("id").asText())) {
                return new Seen(value.path("address").asText(), value.path("port").asInt(), true);
            }
        }
        return null;
    }

    @Override
    protected void restartEngineLosingState() throws Exception {
        ETCD.restartEmpty();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The end of a prefix range: the prefix with its last byte incremented. */
    private static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }
}
