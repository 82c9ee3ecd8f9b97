package io.autoreg.core.client;

import io.autoreg.core.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted events feed that answers as the registry's {@code events/EventsRoute} does (docs/api.md §4):
 * events e0001, e0002, … (ids sort by time, as the registry's), pages of {@code limit}, inclusive markers, a
 * marker older than the oldest kept event moved up to it, and {@code wait=} holding the request until a newer
 * event exists. Answers queued in {@link #script} go first, one per request, so a test can put any fault or
 * socket policy between two pages.
 */
final class ScriptedEventsFeed extends Dispatcher {
    final List<String> ids = new ArrayList<>();
    final List<HttpUrl> requests = new CopyOnWriteArrayList<>();
    final List<Long> arrivals = new CopyOnWriteArrayList<>();
    final Queue<MockResponse> script = new ConcurrentLinkedQueue<>();
    private int oldest;
    private boolean closed;

    /**
     * Serves this feed from {@code server} on a free loopback port, silences the client's log lines (the tests
     * provoke failures on purpose; the caller restores it with {@code Log.sink(null)}), and answers a client
     * builder for tenant 7777 with a short backoff, so retries take milliseconds.
     */
    ServiceRegistryClient.Builder serveOn(MockWebServer server) throws IOException {
        Log.sink(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        server.setDispatcher(this);
        server.start(InetAddress.getLoopbackAddress(), 0);
        return ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    /** Ends held long polls, so the server can stop. */
    @Override
    public synchronized void shutdown() {
        closed = true;
        notifyAll();
    }

    synchronized void add(int n) {
        for (int i = 0; i < n; i++) {
            ids.add(String.format("e%04d", ids.size() + 1));
        }
        notifyAll();
    }

    /** Drops every event before number {@code first} (1-based), as the retention would. */
    synchronized void dropBefore(int first) {
        oldest = first - 1;
    }

    /** The next {@code n} requests are answered 503 with the registry's fault body. */
    void failNext(int n) {
        for (int i = 0; i < n; i++) {
            script.add(new MockResponse()
                    .setResponseCode(503)
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"type\":\"systemFailureError\",\"code\":503}"));
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        HttpUrl url = request.getRequestUrl();
        requests.add(url);
        arrivals.add(System.nanoTime());
        MockResponse scripted = script.poll();
        if (scripted != null) {
            return scripted;
        }
        String marker = url.queryParameter("marker");
        int limit = url.queryParameter("limit") == null ? 100 : Integer.parseInt(url.queryParameter("limit"));
        String wait = url.queryParameter("wait");
        synchronized (this) {
            if (wait != null) {
                long deadline = System.nanoTime()
                        + Duration.ofSeconds(Integer.parseInt(wait)).toNanos();
                while (!closed && !hasNewer(marker) && System.nanoTime() < deadline) {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            }
            int from = oldest;
            if (marker != null) {
                from = ids.size();
                for (int i = oldest; i < ids.size(); i++) {
                    if (ids.get(i).compareTo(marker) >= 0) {
                        from = i;
                        break;
                    }
                }
            }
            List<String> page = ids.subList(from, Math.min(ids.size(), from + limit));
            String next = from + limit < ids.size() ? ids.get(from + limit) : null;
            StringBuilder values = new StringBuilder();
            for (String id : page) {
                values.append(values.length() == 0 ? "" : ",")
                        .append("{\"id\":\"")
                        .append(id)
                        .append("\",\"timestamp\":1,\"type\":\"service.join\",\"payload\":{\"id\":\"s-")
                        .append(id)
                        .append("\"}}");
            }
            return new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"values\":[" + values
                            + "],\"metadata\":{\"count\":" + page.size() + ",\"limit\":" + limit + ",\"marker\":"
                            + (marker == null ? "null" : "\"" + marker + "\"") + ",\"next_marker\":"
                            + (next == null ? "null" : "\"" + next + "\"") + ",\"next_href\":null}}");
        }
    }

    private boolean hasNewer(String marker) {
        return ids.size() > oldest && (marker == null || ids.get(ids.size() - 1).compareTo(marker) > 0);
    }
}
