package io.autoreg.core.client;

import io.autoreg.core.client.model.Page;
import io.autoreg.core.client.model.Session;
import io.autoreg.core.client.model.SessionCreate;
import io.autoreg.core.client.model.Token;
import java.io.IOException;
import okhttp3.HttpUrl;

/** {@code /sessions} (docs/api.md §2, the session generation). */
public final class SessionsApi {

    private final Transport transport;

    SessionsApi(Transport transport) {
        this.transport = transport;
    }

    /** {@code POST /sessions}: the id is the last segment of the {@code Location} answered. */
    public CreatedSession create(SessionCreate session) throws IOException {
        Transport.Reply<Token> reply = transport.exchange(
                "create session", "POST", transport.url("sessions").build(), session, Transport.type(Token.class));
        String location = reply.location();
        if (location == null) {
            throw new IOException("create session: the registry answered " + reply.status() + " without a Location");
        }
        String id = location.substring(location.lastIndexOf('/') + 1);
        return new CreatedSession(id, reply.body() == null ? null : reply.body().token(), location);
    }

    public Page<Session> list(String marker, Integer limit) throws IOException {
        HttpUrl.Builder url = transport.url("sessions");
        Pages.query(url, marker, limit);
        return transport
                .<Page<Session>>exchange("list sessions", "GET", url.build(), null, Transport.pageOf(Session.class))
                .body();
    }

    public Session get(String id) throws IOException {
        return transport
                .<Session>exchange(
                        "get session " + id,
                        "GET",
                        transport.url("sessions", id).build(),
                        null,
                        Transport.type(Session.class))
                .body();
    }

    /** Partial update: null fields are left unchanged. */
    public void update(String id, SessionCreate update) throws IOException {
        transport.exchange(
                "update session " + id, "PUT", transport.url("sessions", id).build(), update, null);
    }

    public String heartbeat(String id, String token) throws IOException {
        return transport.heartbeat("sessions", "session", id, token);
    }

    /** Deletes the session and, with it, its services. */
    public void delete(String id) throws IOException {
        transport.exchange(
                "delete session " + id, "DELETE", transport.url("sessions", id).build(), null, null);
    }
}
