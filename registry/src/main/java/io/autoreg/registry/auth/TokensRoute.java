package io.autoreg.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Fields;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Methods;
import java.time.Instant;
import java.util.Set;

/**
 * POST /v2.0/tokens with the identity service's API-key body (spec §7). In open mode any
 * credentials get a token whose tenant is the username, so the original clients start unchanged.
 * Otherwise failed attempts are throttled per client address and per user ({@link LoginThrottle}).
 */
public final class TokensRoute implements Route {
  private static final String API_KEY_CREDENTIALS = "RAX-KSKEY:apiKeyCredentials";
  private final IssuedTokens issued;
  private final boolean open;
  private final LoginThrottle throttle;

  public TokensRoute(IssuedTokens issued, boolean open, LoginThrottle throttle) {
    this.issued = issued;
    this.open = open;
    this.throttle = throttle;
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
      throw ApiError.unauthorized("Username or api key is invalid");
    }
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"access\":{\"token\":{\"id\":\"").append(token.token()).append("\",\"expires\":\"")
        .append(Instant.ofEpochMilli(token.expiresAt())).append("\",\"tenant\":{\"id\":");
    JsonText.string(sb, token.tenant());
    sb.append(",\"name\":");
    JsonText.string(sb, token.tenant());
    sb.append("}},\"user\":{\"name\":");
    JsonText.string(sb, username);
    sb.append("}}}");
    return Reply.ok(sb.toString());
  }
}
