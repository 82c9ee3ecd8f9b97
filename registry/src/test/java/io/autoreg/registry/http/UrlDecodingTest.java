package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlDecodingTest {

    @Test
    void decodesEscapesAndKeepsPlainPathsAsTheyAre() {
        assertEquals("/v1.0/t/services/web-1", UrlDecoding.path("/v1.0/t/services/web-1"));
        assertEquals("/v1.0/t/configuration/a b", UrlDecoding.path("/v1.0/t/configuration/a%20b"));
        assertEquals("/v1.0/t/x/é", UrlDecoding.path("/v1.0/t/x/%C3%A9"));
    }

    @Test
    void refusesEncodedSlashesBadEscapesAndInvalidUtf8() {
        for (String bad : List.of(
                "/v1.0/t/configuration/a%2fb",
                "/v1.0/t/a%2Fb", "/v1.0/t/a%ZZ", "/v1.0/t/a%", "/v1.0/t/a%4", "/v1.0/t/%C3%28")) {
            ApiError e = assertThrows(ApiError.class, () -> UrlDecoding.path(bad), bad);
            assertEquals(400, e.status());
        }
    }

    @Test
    void parsesQueriesWithPlusAsSpaceAndKeepsRepeatedNames() {
        var q = UrlDecoding.query("tag=a+b&limit=2&tag=c%2Fd&flag");
        assertEquals(List.of("a b", "c/d"), List.copyOf(q.get("tag")));
        assertEquals("2", q.get("limit").getFirst());
        assertEquals("", q.get("flag").getFirst());
        assertThrows(ApiError.class, () -> UrlDecoding.query("marker=%zz"));
    }
}
