package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The light clients' JSON, read back by Jackson as any consumer would, and the fields they read from answers. */
class LiteJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void whatItWritesJacksonReadsBackUnchanged() throws Exception {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("k\"ey", "caf\u00e9 \u2014 \\ \n\r\t \u0001 \u001f \ud83d\ude00");
        map.put("", "");
        assertEquals(map, JACKSON.readValue(LiteJson.object(map), Map.class));
        List<String> list = List.of("a", "\"b\"", "c\\d", "\u0000");
        assertEquals(list, JACKSON.readValue(LiteJson.array(list), List.class));
        assertEquals("[]", LiteJson.array(List.of()));
    }

    /** The shapes etcd 3.4's gateway answers with (copied from a real one), and what the clients read from them. */
    @Test
    void readsEtcdsInt64sAsStringsItsInt32sAsNumbersAndTellsAMissingField() {
        String header = "\"header\":{\"cluster_id\":\"324952591200643719\",\"member_id\":\"3319814642761637952\","
                + "\"revision\":\"1\",\"raft_term\":\"2\"}";
        String grant = "{" + header + ",\"ID\":\"2324035846541737733\",\"TTL\":\"5\"}";
        assertEquals("2324035846541737733", LiteJson.scalarField(grant, "ID"));
        assertEquals(5, LiteJson.longField(grant, "TTL", 0));
        String kept = "{\"result\":{" + header + ",\"ID\":\"2324035846541737735\",\"TTL\":\"5\"}}";
        assertEquals(5, LiteJson.longField(kept, "TTL", 0));
        String lost = "{\"result\":{" + header + ",\"ID\":\"2324035846541737735\"}}";
        assertEquals(0, LiteJson.longField(lost, "TTL", 0), "zero values are left out");
        String error = "{\"error\":\"etcdserver: requested lease not found\",\"message\":\"etcdserver: requested lease"
                + " not found\",\"code\":5}";
        assertEquals(5, LiteJson.longField(error, "code", -1));
        assertEquals(16, LiteJson.longField("{ \"code\" :\n 16 }", "code", -1));
        assertEquals(-1, LiteJson.longField("{\"code\":\"five\"}", "code", -1));
        assertEquals(-1, LiteJson.longField("{\"code\":99999999999999999999}", "code", -1));
        assertNull(LiteJson.scalarField("{\"token\":\"a\\\"b\"}", "token"), "escapes are not decoded: no value");
        assertNull(LiteJson.scalarField("{\"token\":null}", "token"));
        assertNull(LiteJson.scalarField("{\"tokens\":\"x\"}", "token"));
        assertEquals(
                "gmcALEspWvnQyYTe.15",
                LiteJson.scalarField("{" + header + ",\"token\":\"gmcALEspWvnQyYTe.15\"}", "token"));
    }

    @Test
    void etcdRefusalsAreTheCoresLastingAnswers() {
        assertTrue(LiteEtcdBackend.isRefusal(400, "{\"error\":\"etcdserver: value is too large\",\"code\":3}"));
        assertTrue(LiteEtcdBackend.isRefusal(403, "{\"error\":\"etcdserver: permission denied\",\"code\":7}"));
        assertTrue(LiteEtcdBackend.isRefusal(429, "{\"error\":\"etcdserver: mvcc: database space exceeded\"}"));
        assertFalse(LiteEtcdBackend.isRefusal(429, "{\"error\":\"etcdserver: too many requests\"}"));
        assertFalse(LiteEtcdBackend.isRefusal(401, "{\"error\":\"etcdserver: invalid auth token\",\"code\":16}"));
        assertFalse(LiteEtcdBackend.isRefusal(409, ""));
        assertFalse(LiteEtcdBackend.isRefusal(404, ""));
        assertFalse(LiteEtcdBackend.isRefusal(503, ""));
    }
}
