package io.autoreg.core.internal.backend.etcd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.backend.http.JsonHttp;
import io.autoreg.core.internal.model.ServiceInstance;

/** The value stored under an instance's key: {@code {"id","name","address","port","tags","metadata"}}. */
final class EtcdInstanceJson {

    private EtcdInstanceJson() {}

    static String of(ServiceInstance instance) {
        ObjectNode node = JsonHttp.object()
                .put("id", instance.id())
                .put("name", instance.name())
                .put("address", instance.address())
                .put("port", instance.port());
        instance.tags().forEach(node.putArray("tags")::add);
        ObjectNode metadata = node.putObject("metadata");
        instance.metadata().forEach(metadata::put);
        return JsonHttp.text(node);
    }
}
