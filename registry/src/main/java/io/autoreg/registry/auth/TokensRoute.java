package io.autoreg.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Fields;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.autoreg.registry.log.ActivityLog;
import io.undertow.util.Methods;
import java.util.Set;
import java.util.function.Supplier;

/**
 * POST /v2.0/tokens with the identity service's API-key body (docs/api.md §7). In open mode any
 * credentials get a token whose tenant is the username, so the original clients start unchanged.
 * Otherwise failed attempts are throttled per client address and per user ({@link LoginThrottle}).
 *
 * <p>The answer has the identity service's shape as the original clients read it: {@code token.expires} in
 * the format of {@link TokenExpiry}, and a service catalogue, since the Node client (through keystone-client)
 * takes its tenant id from the first endpoint of the {@code cloudServers} entry and throws a TypeError when
 * there is no catalogue. Its URLs point at this server's own address, never at the request's Host header,
 * which any client can set.
 */
public final class TokensRoute implements Route {
    private static final String API_KEY_CREDENTIALS = "RAX-KSKEY:apiKeyCredentials";
    private final IssuedTokens issued;
    private final boolean open;
    private final LoginThrottle throttle;
    private final Supplier<String> publicBase;
    private final ActivityLog log;

    public TokensRoute(
            IssuedTokens issued, boolean open, LoginThrottle throttle, Supplier<String> publicBase, ActivityLog log) {
        this.log = log;
        this.issued = issued;
        this.open = open;
        this.throttle = throttle;
        this.publicBase = publicBase;
    }

    @Override
    public Reply handle(Call call) {
        if (!call.method().equals(Methods.POST)) {
            throw call.methodNotAllowed();
        }
        java.net.InetAddress client = call.exchange().getSourceAddress().getAddress();
        if (!open) {
            throttle.checkAddress(client);
        }
        JsonNode body = Fields.object(call.body(), Set.of("auth"));
        JsonNode auth = body.get("auth");
        if (auth == null || !auth.isObject()) {
            throw ApiError.validation("auth", "Key is required and must be an object");
        }
        Fields.object(auth, Set.of(API_KEY_CREDENTIALS, "tenantId", "tenantName"));
        JsonNode credentials = auth.get(API_KEY_CREDENTIALS);
        if (credentials == null || !credentials.isObject()) {
            throw ApiError.validation(API_KEY_CREDENTIALS, "Key is required and must be an object");
        }
        Fields.object(credentials, Set.of("username", "apiKey"));
        String username = Fields.string(credentials, "username", null, 1, 255);
        String apiKey = Fields.string(credentials, "apiKey", null, 1, 1024);
        if (!open) {
            throttle.checkUser(username);
        }
        IssuedTokens.Issued token = open ? issued.issueOpen(username) : issued.authenticate(username, apiKey);
        if (token == null) {
            throttle.failed(client, username);
            log.authFailure(
                    "reason",
                    "bad-credentials",
                    "username",
                    username,
                    "method",
                    "POST",
                    "path",
                    "/v2.0/tokens",
                    "client",
                    client.getHostAddress());
            throw ApiError.unauthorized("Username or api key is invalid");
        }
        return Reply.ok(answer(token, username));
    }

    private String answer(IssuedTokens.Issued token, String username) {
        String tenant = token.tenant();
        StringBuilder sb = new StringBuilder(640);
        sb.append("{\"access\":{\"token\":{\"id\":\"")
                .append(token.token())
                .append("\",\"expires\":\"")
                .append(TokenExpiry.format(token.expiresAt()))
                .append("\",\"tenant\":{\"id\":");
        JsonText.string(sb, tenant);
        sb.append(",\"name\":");
        JsonText.string(sb, tenant);
        sb.append("}},\"user\":{\"name\":");
        JsonText.string(sb, username);
        sb.append("},\"serviceCatalog\":[");
        String tenantUrl = publicBase.get() + "/v1.0/" + tenant;
        catalogEntry(sb, "cloudServers", "compute", tenant, tenantUrl);
        sb.append(',');
        catalogEntry(sb, "serviceRegistry", "rax:service-registry", tenant, tenantUrl);
        return sb.append("]}}").toString();
    }

    private static void catalogEntry(StringBuilder sb, String name, String type, String tenant, String url) {
        sb.append("{\"name\":\"")
                .append(name)
                .append("\",\"type\":\"")
                .append(type)
                .append("\",\"endpoints\":[{\"tenantId\":");
        JsonText.string(sb, tenant);
        sb.append(",\"publicURL\":");
        JsonText.string(sb, url);
        sb.append("}]}");
    }
}
