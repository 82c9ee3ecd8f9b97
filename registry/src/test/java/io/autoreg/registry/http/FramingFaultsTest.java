package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnio.conduits.StreamSinkConduit;

class FramingFaultsTest {

    /** The socket below the conduit: takes at most {@code perWrite} bytes a call, and nothing on every other call. */
    private static final class Socket {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final List<String> calls = new ArrayList<>();
        final int perWrite;
        boolean stall;

        Socket(int perWrite) {
            this.perWrite = perWrite;
        }

        StreamSinkConduit conduit() {
            return (StreamSinkConduit) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {StreamSinkConduit.class}, (proxy, method, args) -> {
                        calls.add(method.getName());
                        switch (method.getName()) {
                            case "write" -> {
                                ByteBuffer src = (ByteBuffer) args[0];
                                stall = perWrite < Integer.MAX_VALUE && !stall;
                                int n = stall ? 0 : Math.min(perWrite, src.remaining());
                                byte[] chunk = new byte[n];
                                src.get(chunk);
                                sent.write(chunk);
                                return n;
                            }
                            case "flush" -> {
                                return true;
                            }
                            case "terminateWrites" -> {
                                return null;
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        String text() {
            return sent.toString(StandardCharsets.UTF_8);
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void anyOtherAnswerPassesThroughUntouched() throws Exception {
        Socket socket = new Socket(Integer.MAX_VALUE);
        FramingFaults.FaultBodyConduit conduit = new FramingFaults.FaultBodyConduit(socket.conduit());
        String ours = "HTTP/1.1 400 Bad Request\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}";
        assertEquals(ours.length(), conduit.write(bytes(ours)));
        assertTrue(conduit.flush());
        assertEquals(ours, socket.text());
    }

    @Test
    void undertowsBare400BecomesA400WithTheFaultBodyAndAMatchingResponseId() throws Exception {
        Socket socket = new Socket(Integer.MAX_VALUE);
        FramingFaults.FaultBodyConduit conduit = new FramingFaults.FaultBodyConduit(socket.conduit());
        ByteBuffer bare = bytes(FramingFaults.BARE_400);
        assertEquals(FramingFaults.BARE_400.length(), conduit.write(bare), "Undertow sees its bytes written");
        assertFalse(bare.hasRemaining());

        String[] answer = socket.text().split("\r\n\r\n", 2);
        assertTrue(answer[0].startsWith("HTTP/1.1 400 Bad Request\r\n"), answer[0]);
        assertTrue(answer[0].contains("\r\nConnection: close"), answer[0]);
        assertTrue(
                answer[0].contains("\r\nContent-Length: " + answer[1].getBytes(StandardCharsets.UTF_8).length),
                answer[0]);
        String responseId = answer[0].replaceAll("(?s).*X-Response-Id: ([0-9a-f-]{36}).*", "$1");
        JsonNode fault = new ObjectMapper().readTree(answer[1]);
        assertEquals("badRequest", fault.path("type").asText());
        assertEquals(400, fault.path("code").asInt());
        assertTrue(fault.has("message") && fault.has("details"), answer[1]);
        assertEquals(responseId, fault.path("txnId").asText());
    }

    @Test
    void aSlowSocketStillGetsTheWholeAnswerBeforeTheWriteSideIsShut() throws Exception {
        Socket socket = new Socket(40);
        FramingFaults.FaultBodyConduit conduit = new FramingFaults.FaultBodyConduit(socket.conduit());
        conduit.write(bytes(FramingFaults.BARE_400));
        conduit.terminateWrites();
        int flushes = 0;
        while (!conduit.flush()) {
            assertTrue(++flushes < 100, "never drained");
        }
        String[] answer = socket.text().split("\r\n\r\n", 2);
        assertTrue(answer[1].endsWith("}"), socket.text());
        assertEquals(1, socket.calls.stream().filter("terminateWrites"::equals).count());
        assertEquals(
                "terminateWrites",
                socket.calls.get(socket.calls.lastIndexOf("write") + 1),
                "shut only after the last byte: " + socket.calls);
    }
}
