package io.autoreg.core.internal.backend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.backend.http.JsonHttp.Answer;
import io.autoreg.core.internal.lifecycle.RefusedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several servers of one backend (etcd's members, Eureka's defaultZone list), as their own clients use them: a call
 * that gets no answer or a 5xx goes to the next server, the one that answered is kept, any other answer is final.
 */
class JsonHttpFailoverTest {

    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(2))
            .retryOnConnectionFailure(false)
            .build();

    @RegisterExtension
    final ScriptedServer first = new ScriptedServer("the first server");

    @RegisterExtension
    final ScriptedServer second = new ScriptedServer("the second server");

    @AfterAll
    static void closeClient() {
        CLIENT.dispatcher().executorService().shutdown();
        CLIENT.connectionPool().evictAll();
    }

    /** A loopback URL nothing listens on: connecting is refused at once. */
    private static String closedUrl(String path) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }
    }

    @Test
    void aServerThatDoesNotAnswerPassesTheCallToTheNextWhichIsKeptForTheCallsAfter() throws Exception {
        String closed = closedUrl("/eureka");
        JsonHttp http = JsonHttp.builder("eureka", List.of(closed, first.url("/eureka")), CLIENT)
                .build();
        first.enqueue(new MockResponse().setResponseCode(204));
        first.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));

        assertEquals(204, http.post(http.url("apps/ORDERS"), JsonHttp.object()).code());
        assertEquals("/eureka/apps/ORDERS", first.next().getPath());

        // built after the switch: on the server that answered, not on the one that did not
        assertEquals(
                first.url("/eureka/apps/ORDERS/i-1"),
                http.url("apps/ORDERS/i-1").toString());
        assertEquals(200, http.get(http.url("apps/ORDERS/i-1")).code());
        assertEquals("/eureka/apps/ORDERS/i-1", first.next().getPath());
    }

    @Test
    void a5xxPassesTheCallOnAndAnyOtherAnswerIsFinal() throws Exception {
        JsonHttp http = JsonHttp.builder("etcd", List.of(first.url("/"), second.url("/")), CLIENT)
                .build();
        first.enqueue(new MockResponse().setResponseCode(503).setBody("etcdserver: request timed out"));
        second.enqueue(new MockResponse().setResponseCode(200).setBody("{\"ID\":\"7\"}"));
        second.enqueue(new MockResponse().setResponseCode(404).setBody("{\"code\":5}"));

        Answer granted = http.post(http.url("v3/lease/grant"), JsonHttp.object().put("TTL", 9));
        assertEquals("7", granted.json().path("ID").asText());
        assertEquals("/v3/lease/grant", first.next().getPath());
        RecordedRequest passedOn = second.next();
        assertEquals("/v3/lease/grant", passedOn.getPath());
        assertEquals("{\"TTL\":9}", passedOn.getBody().readUtf8(), "the same body, sent again");

        // the second is kept, and its 404 is the answer: not the first's to try again
        Answer notFound = http.post(http.url("v3/lease/keepalive"), JsonHttp.object());
        assertEquals(404, notFound.code());
        assertEquals(1, first.getRequestCount());
    }

    @Test
    void aRefusalIsNotPassedOn() throws Exception {
        JsonHttp http = JsonHttp.builder("eureka", List.of(first.url("/eureka"), second.url("/eureka")), CLIENT)
                .build();
        first.enqueue(new MockResponse().setResponseCode(400).setBody("bad instance"));

        Answer answer = http.post(http.url("apps/ORDERS"), JsonHttp.object());
        assertInstanceOf(RefusedException.class, answer.failure("register"));
        assertEquals(0, second.getRequestCount());
    }

    @Test
    void whenEveryServerAnswers5xxTheLastAnswerIsTheRetryableFailure() throws Exception {
        JsonHttp http = JsonHttp.builder("etcd", List.of(first.url("/"), second.url("/")), CLIENT)
                .build();
        first.enqueue(new MockResponse().setResponseCode(503).setBody("no leader"));
        second.enqueue(new MockResponse().setResponseCode(500).setBody("broken"));

        Answer answer = http.post(http.url("v3/kv/put"), JsonHttp.object());
        assertEquals(500, answer.code());
        IOException failure = answer.failure("/v3/kv/put");
        assertFalse(failure instanceof RefusedException, failure.toString());
        assertEquals(1, first.getRequestCount());
        assertEquals(1, second.getRequestCount());
    }

    @Test
    void whenNoServerAnswersTheFailureNamesEach() throws Exception {
        String a = closedUrl("");
        String b = closedUrl("");
        JsonHttp http = JsonHttp.builder("etcd", List.of(a, b), CLIENT).build();

        IOException failure = assertThrows(IOException.class, () -> http.post(http.url("v3/lease/grant"), null));
        String message = failure.getMessage();
        assertTrue(message.startsWith("etcd: no server answered POST /v3/lease/grant: "), message);
        assertTrue(message.contains(a + "/ did not answer (ConnectException"), message);
        assertTrue(message.contains(b + "/ did not answer (ConnectException"), message);
    }

    @Test
    void aCallPassedOnKeepsWhatItHasBelowItsBaseAndItsQueryAndCarriesTheNextServersOwnCredentials() throws Exception {
        // a defaultZone as Spring Cloud users write it: each URL with its own user, one with a trailing slash
        String closed = closedUrl("/eureka").replace("http://", "http://alice:a-secret@");
        String open = first.url("/eureka/").replace("http://", "http://bob:b,secret@");
        JsonHttp http = JsonHttp.builder("eureka", List.of(closed, open), CLIENT)
                .header("Accept", "application/json")
                .build();
        first.enqueue(new MockResponse().setResponseCode(200));

        http.put(
                http.url()
                        .addPathSegment("apps")
                        .addPathSegment("ORDERS")
                        .addPathSegment("i-1")
                        .addQueryParameter("status", "UP")
                        .build(),
                null);

        RecordedRequest request = first.next();
        assertEquals("/eureka/apps/ORDERS/i-1?status=UP", request.getPath());
        assertEquals(Credentials.basic("bob", "b,secret", UTF_8), request.getHeader("Authorization"));
        assertEquals("application/json", request.getHeader("Accept"));
    }
}
