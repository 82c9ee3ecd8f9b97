package io.autoreg.registry.badinput;

import io.autoreg.registry.conformance.Answer;
import io.autoreg.registry.conformance.RegistryHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Missing and wrong credentials, sent to a server configured with a user (alice, tenant 7777) and a
 * static token (for tenant 9999): every one must be a 401 or 403 with a fault body.
 */
final class AuthBadInput {
    static final String CONFIG =
            "autoreg.server { users = [ { username = alice, api-key = alice-key, tenant = \"7777\" } ],"
                    + " tokens { static-ci-token = \"9999\" } }";
    private static final String T = "/v1.0/7777";

    private AuthBadInput() {}

    /** A request meant for the authenticating server, whatever server the batch runner passes. */
    record Bound(BadRequest request, RegistryHttp target) implements BadRequest {
        @Override
        public String name() {
            return request.name();
        }

        @Override
        public Answer send(RegistryHttp ignored) {
            return request.send(target);
        }

        @Override
        public String toString() {
            return name();
        }
    }

    static List<BadRequest> requests(RegistryHttp authServer) {
        List<BadRequest> cases = new ArrayList<>();
        List<Malformed> targets = List.of(
                Malformed.of("GET services", "GET", T + "/services", null),
                Malformed.of(
                        "POST services", "POST", T + "/services", "{\"id\":\"svc-auth\",\"heartbeat_timeout\":30}"),
                Malformed.of(
                        "POST heartbeat",
                        "POST",
                        T + "/services/svc-auth/heartbeat",
                        "{\"token\":\"00000000-0000-0000-0000-000000000000\"}"),
                Malformed.of("PUT configuration", "PUT", T + "/configuration/auth_key", "{\"value\":\"v\"}"),
                Malformed.of("GET events", "GET", T + "/events", null),
                Malformed.of("GET limits", "GET", T + "/limits", null),
                Malformed.of("POST sessions", "POST", T + "/sessions", "{\"heartbeat_timeout\":30}"),
                Malformed.of("GET registro apps", "GET", "/registro/1.0/apps", null));
        Map<String, String> wrongCredentials = new java.util.LinkedHashMap<>();
        wrongCredentials.put("no X-Auth-Token", null);
        wrongCredentials.put("an empty X-Auth-Token", "");
        wrongCredentials.put("an unknown X-Auth-Token", "no-such-token");
        wrongCredentials.put("an 8 KB X-Auth-Token", "t".repeat(8192));
        wrongCredentials.put("another tenant's static token", "static-ci-token");
        for (Malformed target : targets) {
            for (Map.Entry<String, String> credential : wrongCredentials.entrySet()) {
                if (target.path().startsWith("/registro")
                        && credential.getValue() != null
                        && credential.getValue().equals("static-ci-token")) {
                    continue; // Registro has no tenant: any valid credential opens it
                }
                Map<String, String> headers =
                        credential.getValue() == null ? Map.of() : Map.of("X-Auth-Token", credential.getValue());
                cases.add(new Bound(
                        new Malformed(
                                target.name() + " with " + credential.getKey(),
                                target.method(),
                                target.path(),
                                target.body(),
                                target.contentType(),
                                headers,
                                false),
                        authServer));
            }
            cases.add(new Bound(
                    new Malformed(
                            target.name() + " with a bearer token instead of X-Auth-Token",
                            target.method(),
                            target.path(),
                            target.body(),
                            target.contentType(),
                            Map.of("Authorization", "Bearer static-ci-token"),
                            false),
                    authServer));
        }
        byte[] svc = "{\"id\":\"svc-auth\",\"heartbeat_timeout\":30}".getBytes(StandardCharsets.UTF_8);
        cases.add(new Bound(
                RawRequest.of(
                        "a token with a control character",
                        "POST",
                        T + "/services",
                        Map.of("Content-Type", "application/json", "X-Auth-Token", "static-ci\u0001token"),
                        svc),
                authServer));
        cases.add(new Bound(
                RawRequest.of(
                        "a token with Latin-1 bytes",
                        "GET",
                        T + "/services",
                        Map.of("X-Auth-Token", "static-ci-t\u00f6ken"),
                        null),
                authServer));
        cases.add(new Bound(
                RawRequest.of(
                        "a token sent twice, once wrong",
                        "GET",
                        T + "/services",
                        Map.of("X-Auth-Token", "no-such-token", "x-auth-token", "static-ci-token"),
                        null),
                authServer));
        String[] tokenBodies = {
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":1,\"apiKey\":\"alice-key\"}}}",
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\"}}}",
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"apiKey\":\"alice-key\"}}}",
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":\"alice\"}}",
            "{\"auth\":{\"passwordCredentials\":{\"username\":\"alice\",\"password\":\"alice-key\"}}}",
            "{\"auth\":[]}",
            "{\"auth\":null}",
            "{}",
            "[]",
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"wrong\"}}}",
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\\u0000\",\"apiKey\":\"alice-key\"}}}",
            "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"\",\"apiKey\":\"\"}}}"
        };
        for (String body : tokenBodies) {
            cases.add(new Bound(Malformed.of("POST /v2.0/tokens " + body, "POST", "/v2.0/tokens", body), authServer));
        }
        return cases;
    }
}
