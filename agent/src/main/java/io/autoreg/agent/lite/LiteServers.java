package io.autoreg.agent.lite;

import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's servers for a light client: one, or etcd's members and a Eureka server list, failed over as the
 * core's {@code JsonHttp} does — a call that gets no answer or a 5xx goes to the next server, the first that answers
 * otherwise is kept for the calls after it (one warning line names the switch), and when none does the call fails as
 * with one server. A call's path is relative to each server's base URL, so it is the same on every one.
 */
final class LiteServers {

    private final String backend;
    private final List<LiteHttp> servers;
    private final List<String> shown;
    /**
     * Index of the server that answered last: calls start there. Several registrations may call at once; a race only
     * decides which server one call tries first.
     */
    private volatile int current;

    private LiteServers(String backend, List<LiteHttp> servers, List<String> shown) {
        this.backend = backend;
        this.servers = servers;
        this.shown = shown;
    }

    /** One connection per URL of the settings ({@link RegistrySettings#urls()}), each with their timeouts. */
    static LiteServers forRegistry(String backend, RegistrySettings settings, String tokenHeader) {
        List<String> urls = settings.urls();
        List<LiteHttp> servers = new ArrayList<>(urls.size());
        List<String> shown = new ArrayList<>(urls.size());
        for (String url : urls) {
            servers.add(new LiteHttp(
                    url,
                    (int) settings.connectTimeout().toMillis(),
                    (int) settings.requestTimeout().toMillis(),
                    tokenHeader));
            shown.add(LiteHttp.withoutUserInfo(url));
        }
        return new LiteServers(backend, List.copyOf(servers), List.copyOf(shown));
    }

    /** {@link LiteHttp#call} on the server that answered last, passed on to the next while none answers below 500. */
    LiteHttp.Answer call(String method, String path, String json, String token) throws IOException {
        int from = current;
        if (servers.size() == 1) {
            return servers.get(0).call(method, path, json, token);
        }
        LiteHttp.Answer serverError = null;
        IOException noAnswer = null;
        List<String> failures = new ArrayList<>();
        for (int tried = 0; tried < servers.size(); tried++) {
            int index = (from + tried) % servers.size();
            try {
                LiteHttp.Answer answer = servers.get(index).call(method, path, json, token);
                if (answer.status() < 500) {
                    if (index != from) {
                        current = index;
                        Log.warn(backend + ": " + String.join("; ", failures) + ": now calling " + shown.get(index));
                    }
                    return answer;
                }
                serverError = answer;
                failures.add(shown.get(index) + " answered " + answer.status());
            } catch (IOException e) {
                if (noAnswer == null) {
                    noAnswer = e;
                } else {
                    noAnswer.addSuppressed(e);
                }
                failures.add(shown.get(index) + " did not answer ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        if (serverError != null) {
            return serverError;
        }
        throw new IOException(
                backend + ": no server answered " + method + " "
                        + servers.get(from).basePath() + path + ": " + String.join("; ", failures),
                noAnswer);
    }

    void close() {
        for (LiteHttp server : servers) {
            server.close();
        }
    }
}
