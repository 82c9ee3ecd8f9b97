package io.autoreg.registry.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generated table of malformed requests, batch by batch. Every request here is wrong in exactly
 * the way its name says, against objects that exist ({@code svc-exists}, a live session, {@code cfg_exists}),
 * so that the only reason to refuse it is the defect under test.
 */
final class BadInputTable {
    static final String T = "/v1.0/badinput";

    private final String sessionId;

    BadInputTable(String sessionId) {
        this.sessionId = sessionId;
    }

    /** Batches in the order they run: name → requests. */
    Map<String, List<BadRequest>> batches() {
        Map<String, List<BadRequest>> batches = new LinkedHashMap<>();
        batches.put("broken JSON", brokenJson());
        batches.put("wrong types and huge numbers", wrongTypes());
        batches.put("unknown fields", unknownFields());
        batches.put("bad ids in paths", badIds());
        batches.put("bad query values and markers", badQueries());
        batches.put("odd Unicode", oddUnicode());
        batches.put("configuration ids with .. and %2f", configurationTraversal());
        batches.put("missing or wrong Content-Type", wrongContentTypes());
        batches.put("wrong headers", wrongHeaders());
        batches.put("wrong methods", wrongMethods());
        batches.put("oversize bodies", oversizeBodies());
        batches.put("malformed at the HTTP level", rawRequests());
        return batches;
    }

    /** Where a JSON body is expected, with a body that is otherwise right. */
    private List<String[]> bodyEndpoints() {
        return List.of(
                new String[] {"POST", T + "/services"},
                new String[] {"PUT", T + "/services/svc-exists"},
                new String[] {"POST", T + "/services/svc-exists/heartbeat"},
                new String[] {"POST", T + "/sessions"},
                new String[] {"PUT", T + "/sessions/" + sessionId},
                new String[] {"POST", T + "/sessions/" + sessionId + "/heartbeat"},
                new String[] {"PUT", T + "/configuration/cfg_exists"},
                new String[] {"POST", "/registro/1.0/apps"},
                new String[] {"POST", "/v2.0/tokens"});
    }

    private List<BadRequest> brokenJson() {
        List<String> broken = List.of(
                "",
                "{",
                "}",
                "[",
                "[]",
                "null",
                "true",
                "42",
                "\"text\"",
                "{\"id\":}",
                "{'id':'x'}",
                "{\"id\":\"x\",}",
                "{\"id\" \"x\"}",
                "{\"id\":\"x\"}}",
                "{\"id\":\"x\"} trailing",
                "{\"id\":NaN}",
                "{\"id\":\"\\uZZZZ\"}",
                "{\"id\":\"x\" /* c */}",
                "{{}}",
                "[".repeat(2400) + "]".repeat(2400));
        List<BadRequest> cases = new ArrayList<>();
        for (String[] endpoint : bodyEndpoints()) {
            for (int i = 0; i < broken.size(); i++) {
                cases.add(Malformed.of(
                        endpoint[0] + " " + endpoint[1] + " broken JSON #" + i + " " + abbreviate(broken.get(i)),
                        endpoint[0],
                        endpoint[1],
                        broken.get(i)));
            }
        }
        cases.add(Malformed.bytes("POST services invalid UTF-8 bytes", "POST", T + "/services", new byte[] {
            '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
        }));
        cases.add(Malformed.bytes(
                "PUT configuration invalid UTF-8 bytes", "PUT", T + "/configuration/cfg_exists", new byte[] {
                    '{', '"', 'v', 'a', 'l', 'u', 'e', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'
                }));
        cases.add(Malformed.bytes("POST services NUL bytes", "POST", T + "/services", new byte[] {0, 0, 0, 0}));
        return cases;
    }

    private List<BadRequest> wrongTypes() {
        List<BadRequest> cases = new ArrayList<>();
        String[] badTimeouts = {
            "\"30\"",
            "30.5",
            "[30]",
            "{}",
            "true",
            "null",
            "1e400",
            "-1",
            "0",
            "9223372036854775808",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "121",
            "2"
        };
        for (String timeout : badTimeouts) {
            cases.add(Malformed.of(
                    "service heartbeat_timeout " + timeout,
                    "POST",
                    T + "/services",
                    "{\"id\":\"svc-types\",\"heartbeat_timeout\":" + timeout + "}"));
            cases.add(Malformed.of(
                    "session heartbeat_timeout " + timeout,
                    "POST",
                    T + "/sessions",
                    "{\"heartbeat_timeout\":" + timeout + "}"));
        }
        for (String timeout : new String[] {"\"30\"", "1e400", "-1", "[]"}) {
            cases.add(Malformed.of(
                    "service update heartbeat_timeout " + timeout,
                    "PUT",
                    T + "/services/svc-exists",
                    "{\"heartbeat_timeout\":" + timeout + "}"));
            cases.add(Malformed.of(
                    "session update heartbeat_timeout " + timeout,
                    "PUT",
                    T + "/sessions/" + sessionId,
                    "{\"heartbeat_timeout\":" + timeout + "}"));
        }
        String[] badIds = {"123", "[\"svc\"]", "{\"a\":1}", "true", "null", "1e400"};
        for (String id : badIds) {
            cases.add(Malformed.of(
                    "service id " + id, "POST", T + "/services", "{\"id\":" + id + ",\"heartbeat_timeout\":30}"));
        }
        String[] badTags = {"\"web\"", "{\"a\":\"b\"}", "[1]", "[[\"a\"]]", "[null]", "[true]", "42"};
        for (String tags : badTags) {
            cases.add(Malformed.of(
                    "service tags " + tags,
                    "POST",
                    T + "/services",
                    "{\"id\":\"svc-types\",\"heartbeat_timeout\":30,\"tags\":" + tags + "}"));
        }
        String[] badMetadata = {
            "[\"k\",\"v\"]",
            "\"k=v\"",
            "{\"k\":1}",
            "{\"k\":null}",
            "{\"k\":{}}",
            "{\"k\":[\"v\"]}",
            "{\"k\":true}",
            "42"
        };
        for (String metadata : badMetadata) {
            cases.add(Malformed.of(
                    "service metadata " + metadata,
                    "POST",
                    T + "/services",
                    "{\"id\":\"svc-types\",\"heartbeat_timeout\":30,\"metadata\":" + metadata + "}"));
            cases.add(Malformed.of(
                    "session metadata " + metadata,
                    "POST",
                    T + "/sessions",
                    "{\"heartbeat_timeout\":30,\"metadata\":" + metadata + "}"));
        }
        for (String sid : new String[] {"42", "[]", "{}", "true"}) {
            cases.add(Malformed.of(
                    "service session_id " + sid,
                    "POST",
                    T + "/services",
                    "{\"id\":\"svc-types\",\"session_id\":" + sid + "}"));
        }
        for (String value : new String[] {"42", "[\"v\"]", "{\"v\":1}", "null", "true", "1e400"}) {
            cases.add(Malformed.of(
                    "configuration value " + value,
                    "PUT",
                    T + "/configuration/cfg_exists",
                    "{\"value\":" + value + "}"));
        }
        for (String token : new String[] {"42", "[]", "{}", "null", "true", "\"\""}) {
            cases.add(Malformed.of(
                    "service heartbeat token " + token,
                    "POST",
                    T + "/services/svc-exists/heartbeat",
                    "{\"token\":" + token + "}"));
            cases.add(Malformed.of(
                    "session heartbeat token " + token,
                    "POST",
                    T + "/sessions/" + sessionId + "/heartbeat",
                    "{\"token\":" + token + "}"));
        }
        for (String port : new String[] {"\"8080\"", "0", "-1", "70000", "1e400", "null"}) {
            cases.add(Malformed.of(
                    "registro instance port " + port,
                    "POST",
                    "/registro/1.0/apps/badinput-app",
                    "{\"id\":\"i-types\",\"ip\":\"10.0.0.1\",\"port\":" + port + "}"));
        }
        return cases;
    }

    private List<BadRequest> unknownFields() {
        List<BadRequest> cases = new ArrayList<>();
        String[] fields = {"colour", "ID", "heartbeatTimeout", "__proto__", "", "token", "id\\u0000"};
        for (String field : fields) {
            String extra = "\"" + field + "\":1";
            cases.add(Malformed.of(
                    "service unknown field '" + field + "'",
                    "POST",
                    T + "/services",
                    "{\"id\":\"svc-unknown\",\"heartbeat_timeout\":30," + extra + "}"));
            cases.add(Malformed.of(
                    "session unknown field '" + field + "'",
                    "POST",
                    T + "/sessions",
                    "{\"heartbeat_timeout\":30," + extra + "}"));
            cases.add(Malformed.of(
                    "configuration unknown field '" + field + "'",
                    "PUT",
                    T + "/configuration/cfg_exists",
                    "{\"value\":\"v\"," + extra + "}"));
        }
        cases.add(Malformed.of("service update unknown field", "PUT", T + "/services/svc-exists", "{\"colour\":1}"));
        cases.add(Malformed.of("session update unknown field", "PUT", T + "/sessions/" + sessionId, "{\"colour\":1}"));
        cases.add(Malformed.of(
                "heartbeat unknown field",
                "POST",
                T + "/services/svc-exists/heartbeat",
                "{\"token\":\"00000000-0000-0000-0000-000000000000\",\"colour\":1}"));
        return cases;
    }

    private List<BadRequest> badIds() {
        List<BadRequest> cases = new ArrayList<>();
        String[] ids = {
            "ab",
            "b".repeat(66),
            "a%20b",
            "a%00b",
            "%2e%2e",
            "..",
            "a%2Fb",
            "a:b",
            "%E2%80%AEabc",
            "gr%C3%BC%C3%9F",
            "%ED%A0%80abc",
            "a%25b",
            "a'b",
            "a%22b",
            "a%3Cscript%3E"
        };
        for (String id : ids) {
            cases.add(Malformed.of("GET service " + id, "GET", T + "/services/" + id, null));
            cases.add(Malformed.of("PUT service " + id, "PUT", T + "/services/" + id, "{\"tags\":[\"x\"]}"));
            cases.add(Malformed.of(
                    "heartbeat service " + id,
                    "POST",
                    T + "/services/" + id + "/heartbeat",
                    "{\"token\":\"00000000-0000-0000-0000-000000000000\"}"));
            cases.add(Malformed.of("DELETE service " + id, "DELETE", T + "/services/" + id, null));
        }
        for (String id : new String[] {"se", "seAAAA", "se%00AAAAAAA", "xx12345678", "seAAAAAAAAA%20"}) {
            cases.add(Malformed.of("GET session " + id, "GET", T + "/sessions/" + id, null));
            cases.add(Malformed.of(
                    "heartbeat session " + id,
                    "POST",
                    T + "/sessions/" + id + "/heartbeat",
                    "{\"token\":\"00000000-0000-0000-0000-000000000000\"}"));
        }
        // ';' starts a path parameter for some servlet-era stacks, which then drop it: the id must be
        // refused, never silently cut down to an existing object.
        cases.add(Malformed.of("GET service with a path parameter", "GET", T + "/services/svc-exists;x=y", null));
        cases.add(Malformed.of(
                "PUT service with a path parameter", "PUT", T + "/services/svc-exists;x=y", "{\"tags\":[\"x\"]}"));
        cases.add(Malformed.of(
                "heartbeat with a path parameter",
                "POST",
                T + "/services/svc-exists;x=y/heartbeat",
                "{\"token\":\"00000000-0000-0000-0000-000000000000\"}"));
        cases.add(Malformed.of(
                "PUT configuration with a path parameter",
                "PUT",
                T + "/configuration/cfg_exists;v=1",
                "{\"value\":\"v\"}"));
        cases.add(Malformed.of(
                "GET configuration with a path parameter", "GET", T + "/configuration/cfg_exists;v=1", null));
        cases.add(Malformed.of("GET tenant with a path parameter", "GET", "/v1.0/badinput;x=1/services", null));
        for (String tenant : new String[] {"bad%20tenant", "t".repeat(65), "%E2%80%AE", "a.b", "a%2Fb", "%00"}) {
            cases.add(Malformed.of("tenant " + tenant, "GET", "/v1.0/" + tenant + "/services", null));
        }
        return cases;
    }

    private List<BadRequest> badQueries() {
        List<BadRequest> cases = new ArrayList<>();
        for (String limit :
                new String[] {"0", "1001", "-5", "x", "1.5", "", "1e3", "99999999999999999999", "%00", "0x10"}) {
            cases.add(Malformed.of("services limit=" + limit, "GET", T + "/services?limit=" + limit, null));
            cases.add(Malformed.of("events limit=" + limit, "GET", T + "/events?limit=" + limit, null));
        }
        for (String marker : new String[] {
            "not-an-id", "123", "%00", "%ED%A0%80", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "x".repeat(300), "%E2%80%AE"
        }) {
            cases.add(Malformed.of("events marker=" + marker, "GET", T + "/events?marker=" + marker, null));
        }
        for (String marker : new String[] {"a%20b", "%00", "x".repeat(300), "%E2%80%AE"}) {
            cases.add(Malformed.of(
                    "services marker=" + abbreviate(marker), "GET", T + "/services?marker=" + marker, null));
        }
        // A marker is the first id of a page of this listing; one outside the listed namespace was a 500.
        for (String marker : new String[] {"/aaa/key_before", "/zz_ns/key_after", "cfg_exists", "/ns_a2/key"}) {
            cases.add(Malformed.of(
                    "configuration namespace list with marker " + marker,
                    "GET",
                    T + "/configuration/ns_a/?marker=" + marker,
                    null));
        }
        for (String type : new String[] {"x", "service", "SERVICE.JOIN", "%00", "service.join%20"}) {
            cases.add(Malformed.of("events type=" + type, "GET", T + "/events?type=" + type, null));
        }
        for (String wait : new String[] {"x", "-1", "61", "1.5", "99999999999999999999"}) {
            cases.add(Malformed.of("events wait=" + wait, "GET", T + "/events?wait=" + wait, null));
        }
        for (String tag : new String[] {"", "t".repeat(56)}) {
            cases.add(Malformed.of("services tag=" + abbreviate(tag), "GET", T + "/services?tag=" + tag, null));
        }
        return cases;
    }

    private List<BadRequest> oddUnicode() {
        List<BadRequest> cases = new ArrayList<>();
        String[] ids = {
            "\\ud800svc",
            "svc\\udfff",
            "svc\\u0000x",
            "\\u202esvc",
            "svc\\u200bx",
            "\\ufeffsvc",
            "s\\u0301vc",
            "\\ud83d\\ude00svc",
            "svc\\u000a",
            "ｓｖｃ"
        };
        for (String id : ids) {
            cases.add(Malformed.of(
                    "service id \"" + id + "\"",
                    "POST",
                    T + "/services",
                    "{\"id\":\"" + id + "\",\"heartbeat_timeout\":30}"));
        }
        String[] encodedKeys = {
            "%ED%A0%80key",
            "key%00",
            "%E2%80%AEkey",
            "key%E2%80%8B",
            "%EF%BB%BFkey",
            "k%CC%81ey",
            "%F0%9F%98%80key",
            "key%0A",
            "%C0%AFkey",
            "%FF%FEkey"
        };
        for (String key : encodedKeys) {
            cases.add(
                    Malformed.of("configuration key " + key, "PUT", T + "/configuration/" + key, "{\"value\":\"v\"}"));
            cases.add(Malformed.of(
                    "configuration namespace " + key,
                    "PUT",
                    T + "/configuration/" + key + "/plain_key",
                    "{\"value\":\"v\"}"));
        }
        for (String name : new String[] {"\\ud800", "\\u0000", ""}) {
            cases.add(Malformed.of(
                    "registro app name \"" + name + "\"", "POST", "/registro/1.0/apps", "{\"name\":\"" + name + "\"}"));
        }
        cases.add(Malformed.of(
                "tag of a lone surrogate over 55 chars",
                "POST",
                T + "/services",
                "{\"id\":\"svc-uni\",\"heartbeat_timeout\":30,\"tags\":[\"" + "\\ud800".repeat(56) + "\"]}"));
        return cases;
    }

    private List<BadRequest> configurationTraversal() {
        List<BadRequest> cases = new ArrayList<>();
        String[] ids = {
            "../secret_key",
            "ns/../secret_key",
            "%2e%2e/secret_key",
            "ns/%2e%2e/secret_key",
            "ns%2fsecret_key",
            "%2fns%2fsecret_key",
            "ns%2Fsecret_key",
            "%2F%2Fns/secret_key",
            "./secret_key",
            "ns/./secret_key",
            "ns//secret_key",
            "ns/secret_key/",
            "ns%5csecret_key",
            "ns\\secret_key".replace("\\", "%5C"),
            "%00/secret_key",
            "ns/secret%00key",
            "ns/..",
            "ns/%2e%2e",
            "...%2f..%2fsecret_key",
            "n%2e/secret_key"
        };
        for (String id : ids) {
            cases.add(Malformed.of("PUT configuration " + id, "PUT", T + "/configuration/" + id, "{\"value\":\"v\"}"));
            cases.add(Malformed.of("DELETE configuration " + id, "DELETE", T + "/configuration/" + id, null));
        }
        return cases;
    }

    private List<BadRequest> wrongContentTypes() {
        List<BadRequest> cases = new ArrayList<>();
        String[] types = {
            null,
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "application/jsonx",
            "json",
            "multipart/form-data; boundary=x",
            "text/json",
            "application/*"
        };
        List<String[]> endpoints = List.of(
                new String[] {"POST", T + "/services", "{\"id\":\"svc-ctype\",\"heartbeat_timeout\":30}"},
                new String[] {"POST", T + "/sessions", "{\"heartbeat_timeout\":30}"},
                new String[] {"PUT", T + "/configuration/cfg_ctype", "{\"value\":\"v\"}"},
                new String[] {"PUT", T + "/services/svc-exists", "{\"tags\":[\"x\"]}"});
        for (String[] endpoint : endpoints) {
            for (String type : types) {
                cases.add(Malformed.of(
                                endpoint[0] + " " + endpoint[1] + " Content-Type " + type,
                                endpoint[0],
                                endpoint[1],
                                endpoint[2])
                        .withContentType(type));
            }
        }
        return cases;
    }

    private List<BadRequest> wrongHeaders() {
        List<BadRequest> cases = new ArrayList<>();
        cases.add(
                Malformed.of("Content-Encoding gzip on a plain body", "POST", T + "/services", service("svc-hdr-gzip"))
                        .withHeaders(Map.of("Content-Encoding", "gzip")));
        cases.add(Malformed.of("Content-Encoding br on a plain body", "POST", T + "/services", service("svc-hdr-br"))
                .withHeaders(Map.of("Content-Encoding", "br")));
        // Broken framing: Undertow refuses these before any handler runs; FramingFaults gives its 400 the fault body.
        cases.add(RawRequest.of(
                "Content-Length that is not a number",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Content-Length", "abc"),
                bytes(service("svc-hdr-1"))));
        cases.add(RawRequest.of(
                "negative Content-Length",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Content-Length", "-1"),
                bytes(service("svc-hdr-2"))));
        cases.add(RawRequest.of(
                "two different Content-Lengths",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Content-Length", "5, 9"),
                bytes(service("svc-hdr-3"))));
        cases.add(RawRequest.of(
                "Transfer-Encoding that is not chunked",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "gzip"),
                bytes(service("svc-hdr-4"))));
        return cases;
    }

    private static String service(String id) {
        return "{\"id\":\"" + id + "\",\"heartbeat_timeout\":30}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<BadRequest> wrongMethods() {
        List<BadRequest> cases = new ArrayList<>();
        Map<String, List<String>> refused = new LinkedHashMap<>();
        refused.put(T + "/services", List.of("PUT", "DELETE", "PATCH", "FOO"));
        refused.put(T + "/services/svc-exists", List.of("POST", "PATCH", "FOO"));
        refused.put(T + "/services/svc-exists/heartbeat", List.of("GET", "PUT", "DELETE", "PATCH"));
        refused.put(T + "/sessions", List.of("PUT", "DELETE", "PATCH"));
        refused.put(T + "/sessions/" + sessionId, List.of("POST", "PATCH"));
        refused.put(T + "/sessions/" + sessionId + "/heartbeat", List.of("GET", "PUT", "DELETE"));
        refused.put(T + "/events", List.of("POST", "PUT", "DELETE", "PATCH"));
        refused.put(T + "/limits", List.of("POST", "PUT", "DELETE"));
        refused.put(T + "/configuration", List.of("POST", "PUT", "DELETE", "PATCH"));
        refused.put(T + "/configuration/cfg_exists", List.of("POST", "PATCH"));
        refused.put("/v2.0/tokens", List.of("GET", "PUT", "DELETE"));
        refused.forEach((path, methods) -> {
            for (String method : methods) {
                boolean withBody = !method.equals("GET") && !method.equals("DELETE");
                cases.add(Malformed.of(method + " " + path, method, path, withBody ? "{}" : null));
            }
        });
        return cases;
    }

    private List<BadRequest> oversizeBodies() {
        List<BadRequest> cases = new ArrayList<>();
        for (int size : new int[] {5001, 6000, 100_000, 2_000_000}) {
            String big =
                    "{\"id\":\"svc-big\",\"heartbeat_timeout\":30,\"metadata\":{\"k\":\"" + "x".repeat(size) + "\"}}";
            cases.add(Malformed.of("POST services of " + big.length() + " bytes", "POST", T + "/services", big));
            cases.add(Malformed.of("chunked POST services of " + big.length() + " bytes", "POST", T + "/services", big)
                    .chunkedBody());
            String value = "{\"value\":\"" + "x".repeat(size) + "\"}";
            cases.add(Malformed.of(
                    "PUT configuration of " + value.length() + " bytes", "PUT", T + "/configuration/cfg_big", value));
            cases.add(Malformed.of(
                            "chunked PUT configuration of " + value.length() + " bytes",
                            "PUT",
                            T + "/configuration/cfg_big",
                            value)
                    .chunkedBody());
        }
        String spaces = "{" + " ".repeat(6000) + "}";
        cases.add(Malformed.of(
                "heartbeat of 6002 bytes of whitespace", "POST", T + "/services/svc-exists/heartbeat", spaces));
        cases.add(Malformed.of("chunked session of 6002 bytes of whitespace", "POST", T + "/sessions", spaces)
                .chunkedBody());
        cases.add(Malformed.of("registro app of 6002 bytes", "POST", "/registro/1.0/apps", spaces));
        cases.add(Malformed.of("tokens of 6002 bytes", "POST", "/v2.0/tokens", spaces));
        cases.add(RawRequest.of(
                "a declared 1 GB body that never comes",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Content-Length", "1000000000"),
                "{\"id\":\"svc-huge\"".getBytes(StandardCharsets.UTF_8)));
        return cases;
    }

    private List<BadRequest> rawRequests() {
        List<BadRequest> cases = new ArrayList<>();
        cases.add(
                RawRequest.of("an invalid percent escape in the path", "GET", T + "/services/abc%zz", Map.of(), null));
        cases.add(RawRequest.of("a lone percent sign in the path", "GET", T + "/services/abc%", Map.of(), null));
        cases.add(RawRequest.of(
                "an invalid percent escape in the query", "GET", T + "/services?limit=%zz", Map.of(), null));
        cases.add(RawRequest.of(
                "an invalid percent escape in a configuration id",
                "PUT",
                T + "/configuration/ns/k%g1y",
                Map.of("Content-Type", "application/json"),
                "{\"value\":\"v\"}".getBytes(StandardCharsets.UTF_8)));
        cases.add(RawRequest.of(
                "raw UTF-8 bytes in the path", "GET", T + "/services/gr\u00c3\u00bc\u00c3\u009f", Map.of(), null));
        cases.add(RawRequest.of(
                "a body that stops before its Content-Length",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Content-Length", "200"),
                "{\"id\":\"svc-short\",".getBytes(StandardCharsets.UTF_8)));
        cases.add(RawRequest.closedByUndertow(
                "a broken chunk size",
                "POST",
                T + "/services",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"),
                "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        cases.add(RawRequest.of(
                "an absolute-form target for another host",
                "GET",
                "http://127.0.0.2/v1.0/badinput/nothing-here",
                Map.of(),
                null));
        cases.addAll(brokenRequestLinesAndFraming());
        return cases;
    }

    /** Refused by Undertow's parser before any handler: each must still carry the fault body. */
    private static List<BadRequest> brokenRequestLinesAndFraming() {
        List<BadRequest> cases = new ArrayList<>();
        String post = "POST " + T + "/services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        cases.add(RawRequest.verbatim("a request line that is one word", "GARBAGE\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "a request line without a version", "GET " + T + "/services\r\nHost: 127.0.0.1\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "an unknown HTTP version", "GET " + T + "/services HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "a lower-case protocol name", "GET " + T + "/services http/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "a space inside the target", "GET " + T + "/serv ices HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "a method with a character tokens may not hold",
                "G@T " + T + "/services HTTP/1.1\r\n" + "Host: 127.0.0.1\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "a method with Latin-1 bytes", "G\u00e9T " + T + "/services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        cases.add(RawRequest.verbatim("HTTP/1.1 without a Host header", "GET " + T + "/services HTTP/1.1\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "two Host headers",
                "GET " + T + "/services HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Host: 127.0.0.2\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "Content-Length beyond a long", post + "Content-Length: 99999999999999999999\r\n\r\n{}"));
        cases.add(RawRequest.verbatim(
                "Content-Length of 2^70", post + "Content-Length: 1180591620717411303424\r\n\r\n{}"));
        cases.add(
                RawRequest.verbatim("Content-Length of 2^64", post + "Content-Length: 18446744073709551616\r\n\r\n{}"));
        cases.add(
                RawRequest.verbatim("Content-Length of 2^63", post + "Content-Length: 9223372036854775808\r\n\r\n{}"));
        cases.add(RawRequest.verbatim("Content-Length with a plus sign", post + "Content-Length: +2\r\n\r\n{}"));
        cases.add(RawRequest.verbatim("an empty Content-Length", post + "Content-Length: \r\n\r\n{}"));
        cases.add(RawRequest.verbatim(
                "Content-Length and chunked together",
                post + "Content-Length: 2\r\n" + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "two Transfer-Encoding headers",
                post + "Transfer-Encoding: chunked\r\n" + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
        cases.add(RawRequest.verbatim(
                "gzip after chunked", post + "Transfer-Encoding: chunked, gzip\r\n\r\n" + "2\r\n{}\r\n0\r\n\r\n"));
        return cases;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    }
}
