package io.autoreg.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.IOException;
import java.util.Map;

/**
 * The Kubernetes API schema of each kind, as the official Java client's models carry it: they are generated from
 * the Kubernetes OpenAPI spec, and each model's {@code validateJsonElement} walks a JSON document the way the API
 * server's decoder would in strict field validation - unknown fields (a misspelt key), missing required fields
 * and wrong JSON types are errors, down every nested object.
 */
final class KubernetesSchema {

    @FunctionalInterface
    private interface Validator {
        void validate(JsonElement json) throws IOException;
    }

    private static final Map<String, Validator> BY_KIND = Map.of(
            "v1/ConfigMap", V1ConfigMap::validateJsonElement,
            "v1/Secret", V1Secret::validateJsonElement,
            "v1/Service", V1Service::validateJsonElement,
            "v1/Namespace", V1Namespace::validateJsonElement,
            "v1/Pod", V1Pod::validateJsonElement,
            "apps/v1/Deployment", V1Deployment::validateJsonElement,
            "apps/v1/StatefulSet", V1StatefulSet::validateJsonElement,
            "apps/v1/DaemonSet", V1DaemonSet::validateJsonElement);

    private KubernetesSchema() {}

    /** @return null when the document is valid for its kind, else what is wrong */
    static String problem(Map<String, Object> document) {
        String key = document.get("apiVersion") + "/" + document.get("kind");
        Validator validator = BY_KIND.get(key);
        if (validator == null) {
            return "no schema for apiVersion/kind " + key + " (known: " + BY_KIND.keySet() + ")";
        }
        try {
            validator.validate(new Gson().toJsonTree(document));
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
