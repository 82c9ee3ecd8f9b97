package io.autoreg.core.internal.backend.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.model.ServiceInstance;

import java.io.UncheckedIOException;

/** The value stored under an instance's key: {@code {"id","name","address","port","tags","metadata"}}. */
final class EtcdInstanceJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EtcdInstanceJson() {
    }

    static String of(ServiceInstance instance) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", instance.id())
                .put("name", instance.name())
                .put("address", instance.address())
                .put("port", instance.port());
        instance.tags().forEach(node.putArray("tags")::add);
        ObjectNode metadata = node.putObject("metadata");
        instance.metadata().forEach(metadata::put);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
