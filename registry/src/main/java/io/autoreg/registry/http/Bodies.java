package io.autoreg.registry.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.function.BiConsumer;

/** Reads a request body without blocking and never more than {@link #MAX_BODY_BYTES}. */
public final class Bodies {
  public static final int MAX_BODY_BYTES = 5000;
  private static final byte[] EMPTY = new byte[0];

  private Bodies() {}

  /** Calls {@code then} with the body bytes (empty when there is none), or {@code failed} with a fault. */
  public static void read(HttpServerExchange exchange, BiConsumer<HttpServerExchange, byte[]> then,
                          BiConsumer<HttpServerExchange, ApiError> failed) {
    long length = exchange.getRequestContentLength();
    boolean chunked = exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    if (length > MAX_BODY_BYTES) {
      failed.accept(exchange, ApiError.tooLarge());
      return;
    }
    if (length <= 0 && !chunked) {
      then.accept(exchange, EMPTY);
      return;
    }
    if (chunked && !isChunkedOnly(exchange)) {
      // Undertow decodes any Transfer-Encoding as chunked and closes the connection when that fails,
      // leaving no way to answer; refuse other codings before reading (RFC 9112 §6.3: 400, then close).
      exchange.setPersistent(false);
      throw ApiError.badRequest("Unsupported transfer encoding",
          "Transfer-Encoding must be chunked, was " + exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING));
    }
    checkContentType(exchange);
    String encoding = exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      throw ApiError.badRequest("Unsupported content encoding", "Content-Encoding " + encoding + " is not supported");
    }
    if (!chunked) {
      exchange.getRequestReceiver().receiveFullBytes(then::accept, (ex, e) -> failed.accept(ex, translate(e)));
      return;
    }
    // Chunked: count as it arrives and stop reading at the limit instead of buffering the rest.
    BoundedBuffer buffer = new BoundedBuffer();
    exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
      if (buffer.failed) {
        return;
      }
      if (!buffer.add(chunk)) {
        buffer.failed = true; // later chunks are read and dropped
        failed.accept(ex, ApiError.tooLarge());
      } else if (last) {
        then.accept(ex, buffer.bytes());
      }
    }, (ex, e) -> failed.accept(ex, translate(e)));
  }

  private static final class BoundedBuffer {
    private final byte[] data = new byte[MAX_BODY_BYTES];
    private int length;
    boolean failed;

    boolean add(byte[] chunk) {
      if (length + chunk.length > MAX_BODY_BYTES) {
        return false;
      }
      System.arraycopy(chunk, 0, data, length, chunk.length);
      length += chunk.length;
      return true;
    }

    byte[] bytes() { return java.util.Arrays.copyOf(data, length); }
  }

  private static ApiError translate(IOException e) {
    if (e instanceof RequestTooBigException || String.valueOf(e.getMessage()).contains("larger than")) {
      return ApiError.tooLarge();
    }
    return ApiError.badRequest("Invalid request body", "The request body could not be read");
  }

  /** Exactly one Transfer-Encoding, {@code chunked}: the only coding this server reads. */
  private static boolean isChunkedOnly(HttpServerExchange exchange) {
    var values = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
    return values.size() == 1 && values.getFirst().trim().equalsIgnoreCase("chunked");
  }

  private static void checkContentType(HttpServerExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type == null) {
      throw ApiError.badRequest("Unsupported content type", "Content-Type must be application/json");
    }
    int semicolon = type.indexOf(';');
    String mime = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    if (!mime.equalsIgnoreCase("application/json")) {
      throw ApiError.badRequest("Unsupported content type", "Content-Type must be application/json");
    }
  }
}
