package io.autoreg.core.internal.backend.zookeeper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.model.ServiceInstance;
import java.io.UncheckedIOException;

/**
 * The node data Curator's {@code JsonInstanceSerializer} writes and reads. The payload, when wanted, has
 * the shape of Spring Cloud Zookeeper's {@code ZookeeperInstance} with its {@code @class} type id (Curator
 * resolves that class when reading), so Spring Cloud consumers see the metadata.
 */
final class CuratorInstanceJson {

    static final String SPRING_PAYLOAD_CLASS = "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CuratorInstanceJson() {}

    static byte[] of(ServiceInstance instance, long registrationTimeUtc, boolean springCloudPayload) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("name", instance.name())
                .put("id", instance.id())
                .put("address", instance.address())
                .put("port", instance.port());
        node.putNull("sslPort");
        if (springCloudPayload) {
            ObjectNode payload = node.putObject("payload")
                    .put("@class", SPRING_PAYLOAD_CLASS)
                    .put("id", instance.id())
                    .put("name", instance.name());
            ObjectNode metadata = payload.putObject("metadata");
            instance.metadata().forEach(metadata::put);
            if (!instance.tags().isEmpty()) {
                metadata.put("tags", String.join(",", instance.tags()));
            }
        } else {
            node.putNull("payload");
        }
        node.put("registrationTimeUTC", registrationTimeUtc).put("serviceType", "DYNAMIC");
        node.putNull("uriSpec");
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
