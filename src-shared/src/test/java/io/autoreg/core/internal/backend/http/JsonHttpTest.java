package io.autoreg.core.internal.backend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.http.JsonHttp.Answer;
import io.autoreg.core.internal.lifecycle.RefusedException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The helper the HTTP backends share, against a scripted local server: what each kind of answer becomes. */
class JsonHttpTest {

    /** A short read timeout, so that the timeout case is quick; no silent retry, so each scripted failure is seen. */
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(Duration.ofMillis(300))
            .retryOnConnectionFailure(false)
            .build();

    @RegisterExtension
    final ScriptedServer server = new ScriptedServer("the scripted server");

    @AfterAll
    static void closeClient() {
        CLIENT.dispatcher().executorService().shutdown();
        CLIENT.connectionPool().evictAll();
    }

    private JsonHttp http() {
        return JsonHttp.builder("test", server.url("/api/v1"), CLIENT)
                .header("X-Auth-Token", "tok")
                .build();
    }

    private RecordedRequest next() throws InterruptedException {
        return server.next();
    }

    @Test
    void aPostSendsJsonBelowTheBaseUrlWithTheCommonHeadersAndReadsTheJsonAnswer() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(201).setBody("{\"id\":\"a\",\"n\":2}"));

        JsonHttp http = http();
        Answer answer = http.post(http.url("things/a"), JsonHttp.object().put("name", "x"))
                .expect("create a");

        assertTrue(answer.ok());
        assertEquals(201, answer.code());
        JsonNode json = answer.json();
        assertEquals("a", json.path("id").asText());
        assertEquals(2, json.path("n").asInt());
        RecordedRequest request = next();
        assertEquals("POST", request.getMethod());
        assertEquals("/api/v1/things/a", request.getPath());
        assertEquals("tok", request.getHeader("X-Auth-Token"));
        assertEquals("application/json", request.getHeader("Content-Type"));
        assertEquals("{\"name\":\"x\"}", request.getBody().readUtf8());
    }

    @Test
    void userInfoInTheBaseUrlIsSentAsBasicAuthOnEveryCallAndLeftOutOfTheUrl() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(500));
        // percent-escaped as RFC 3986 asks: the user "ops@eu" with the password "p:w d"
        String base = server.url("/eureka").replace("http://", "http://ops%40eu:p%3Aw%20d@");

        JsonHttp http = JsonHttp.builder("test", base, CLIENT).build();
        assertTrue(http.put(http.url("apps/A/1"), null).ok());
        IOException failure =
                assertThrows(IOException.class, () -> http.get(http.url("apps")).expect("list"));

        RecordedRequest put = next();
        assertEquals("/eureka/apps/A/1", put.getPath());
        assertEquals(
                "Basic " + java.util.Base64.getEncoder().encodeToString("ops@eu:p:w d".getBytes(UTF_8)),
                put.getHeader("Authorization"));
        assertEquals(put.getHeader("Authorization"), next().getHeader("Authorization"), "every call");
        assertFalse(
                http.url("apps").toString().contains("ops"), http.url("apps").toString());
        assertFalse(failure.getMessage().contains("p:w"), failure.getMessage());
    }

    @Test
    void aPutWithoutABodySendsAnEmptyOneAndAGetNone() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(200));
        server.enqueue(new MockResponse().setResponseCode(200));

        JsonHttp http = http();
        assertTrue(http.put(http.url("things/a"), null).ok());
        assertTrue(http.get(http.url()
                        .addPathSegment("things")
                        .addQueryParameter("q", "a b")
                        .build())
                .ok());
        assertEquals(0, http.delete(http.url("things/a")).json().size(), "an empty answer is an empty object");

        RecordedRequest put = next();
        assertEquals("PUT", put.getMethod());
        assertEquals("0", put.getHeader("Content-Length"));
        assertNull(put.getHeader("Content-Type"));
        RecordedRequest get = next();
        assertEquals("GET /api/v1/things?q=a%20b", get.getMethod() + " " + get.getPath());
        assertEquals("DELETE", next().getMethod());
    }

    @Test
    void extraHeadersOfOneCallAreAddedToTheCommonOnes() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));

        JsonHttp http = http();
        http.send("POST", http.url("x"), JsonHttp.object(), Headers.of("Authorization", "etcd-token"));

        RecordedRequest request = next();
        assertEquals("etcd-token", request.getHeader("Authorization"));
        assertEquals("tok", request.getHeader("X-Auth-Token"));
    }

    @Test
    void withoutATokenNoAuthHeaderIsSent() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));

        JsonHttp http = JsonHttp.builder("test", server.url("/"), CLIENT)
                .header("X-Auth-Token", null)
                .build();
        http.get(http.url("x"));

        RecordedRequest request = next();
        assertNull(request.getHeader("X-Auth-Token"));
        assertEquals("/x", request.getPath(), "a base URL ending in / takes the path as it is");
    }

    @Test
    void aLasting4xxIsARefusalNamingTheBackendTheCallTheStatusAndTheBody() throws Exception {
        for (int status : new int[] {400, 401, 403, 409, 413}) {
            server.enqueue(new MockResponse().setResponseCode(status).setBody("{\"message\":\"no\"}"));
        }

        JsonHttp http = http();
        for (int status : new int[] {400, 401, 403, 409, 413}) {
            Answer answer = http.post(http.url("things"), JsonHttp.object());
            assertFalse(answer.ok());
            IOException refused = assertThrows(RefusedException.class, () -> answer.expect("create a"), "" + status);
            assertEquals("test create a answered " + status + ": {\"message\":\"no\"}", refused.getMessage());
        }
    }

    @Test
    void notFoundTimeoutAndRateLimitAnd5xxAreRetryable() throws Exception {
        for (int status : new int[] {404, 408, 429, 500, 502, 503}) {
            server.enqueue(new MockResponse().setResponseCode(status).setBody("busy"));
        }

        JsonHttp http = http();
        for (int status : new int[] {404, 408, 429, 500, 502, 503}) {
            IOException failed = assertThrows(
                    IOException.class, () -> http.get(http.url("x")).expect("read x"));
            assertFalse(failed instanceof RefusedException, status + ": " + failed);
            assertTrue(failed.getMessage().contains("answered " + status), failed.getMessage());
        }
    }

    @Test
    void theBackendsRuleDecidesWhatIsARefusal() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setBody("database space exceeded"));
        server.enqueue(new MockResponse().setResponseCode(400).setBody("try again"));

        JsonHttp http = JsonHttp.builder("test", server.url("/"), CLIENT)
                .refusal(answer -> answer.body().contains("exceeded"))
                .build();

        assertThrows(RefusedException.class, () -> http.get(http.url("x")).expect("read"));
        IOException retryable =
                assertThrows(IOException.class, () -> http.get(http.url("x")).expect("read"));
        assertFalse(retryable instanceof RefusedException, retryable.toString());
    }

    @Test
    void noAnswerInTimeOrAClosedConnectionIsOkHttpsOwnRetryableException() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

        JsonHttp http = http();
        IOException timeout = assertThrows(IOException.class, () -> http.get(http.url("x")));
        assertTrue(timeout instanceof SocketTimeoutException, timeout.toString());
        IOException closed = assertThrows(IOException.class, () -> http.get(http.url("x")));
        assertFalse(closed instanceof RefusedException, closed.toString());
    }

    @Test
    void aBodyThatIsNotJsonIsARetryableFailureNamingTheCall() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("<html><body>proxy\n  error</body></html>"));
        server.enqueue(new MockResponse().setResponseCode(500).setBody("<html>oops</html>"));

        JsonHttp http = http();
        Answer answer = http.get(http.url("things"));
        IOException bad = assertThrows(IOException.class, answer::json);
        assertFalse(bad instanceof RefusedException, bad.toString());
        assertEquals(
                "test GET /api/v1/things answered 200 with a body that is not JSON: "
                        + "<html><body>proxy error</body></html>",
                bad.getMessage());
        assertEquals(0, http.get(http.url("things")).jsonOrEmpty().size(), "an error page reads as no fields");
    }

    @Test
    void aLongErrorBodyIsCutToOneLine() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("x\n".repeat(2000)));

        JsonHttp http = http();
        IOException refused = http.get(http.url("x")).failure("read");

        assertFalse(refused.getMessage().contains("\n"));
        assertTrue(refused.getMessage().length() < 600, refused.getMessage().length() + " characters");
        assertTrue(refused.getMessage().endsWith("…"), refused.getMessage());
    }
}
