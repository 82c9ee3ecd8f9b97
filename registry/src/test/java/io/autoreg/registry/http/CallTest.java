package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.server.HttpServerExchange;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallTest {

    @Test
    void aShedRequestLineLeavesTheExchangeWithoutItsStringsAndTheCallWithItsQuery() {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestURI("/v1.0/t/events");
        exchange.setRequestPath("/v1.0/t/events");
        exchange.setRelativePath("/v1.0/t/events");
        exchange.setQueryString("marker=e-1&limit=5&type=service.join");
        Call call = new Call(exchange, "t", List.of("events"), "events");

        call.shedRequestLine();

        assertEquals("", exchange.getQueryString());
        assertEquals("", exchange.getRequestURI());
        assertEquals("", exchange.getRequestPath());
        assertEquals("", exchange.getRelativePath());
        assertEquals("5", call.query("limit"), "read before the exchange dropped it");
        assertEquals("service.join", call.query("type"));
        assertEquals("e-1", call.query("marker"));
    }
}
