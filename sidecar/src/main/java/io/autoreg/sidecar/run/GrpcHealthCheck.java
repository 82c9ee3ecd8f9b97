package io.autoreg.sidecar.run;

import io.autoreg.core.internal.log.Log;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * gRPC's standard health check ({@code grpc.health.v1.Health/Check}), what the kubelet's {@code grpc} probe and
 * Consul's {@code grpc} check call: one unary call over HTTP/2 (cleartext with prior knowledge for {@code grpc}, TLS
 * with the certificate not verified for {@code grpcs}, as {@link ProbeTls} says why), asking for the service named by
 * the check's {@code grpc-service} (empty: the server as a whole). It passes when the answer is {@code SERVING}, as the
 * kubelet's probe does; any other status, a gRPC error (with its code's name: {@code UNIMPLEMENTED} for a server
 * without the health service, {@code NOT_FOUND} for a service it does not know) or a transport failure fails it.
 *
 * <p>The call is written by hand — a five-byte frame and a protobuf message of one string field, an answer of one
 * enum field — so the sidecar carries no gRPC or protobuf library for it.
 */
final class GrpcHealthCheck implements HealthCheck {

    private static final MediaType GRPC = MediaType.get("application/grpc");
    /** {@code grpc.health.v1.HealthCheckResponse.ServingStatus}, by number. */
    private static final List<String> SERVING_STATUS = List.of("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN");

    private static final int SERVING = 1;
    /** gRPC status codes by number, as gRPC defines them. */
    private static final List<String> CODES = List.of(
            "OK",
            "CANCELLED",
            "UNKNOWN",
            "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED",
            "NOT_FOUND",
            "ALREADY_EXISTS",
            "PERMISSION_DENIED",
            "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION",
            "ABORTED",
            "OUT_OF_RANGE",
            "UNIMPLEMENTED",
            "INTERNAL",
            "UNAVAILABLE",
            "DATA_LOSS",
            "UNAUTHENTICATED");
    /** A health answer is a few bytes; never buffer more than this from a neighbour. */
    private static final long MAX_MESSAGE = 64 * 1024;

    private final OkHttpClient http;
    private final Request request;
    private final boolean tls;

    GrpcHealthCheck(CheckSettings check) {
        this.tls = check.type() == CheckType.GRPCS;
        // Its own pool, emptied after a failure: the HTTP/2 connection is kept between probes (a GOAWAY at the
        // server's maximum connection age is taken in stride, a new connection opened), but one that failed is not
        // offered to the next probe, and emptying it leaves the registry client's shared pool alone.
        OkHttpClient.Builder client =
                HttpHealthCheck.probeClient(check).connectionPool(new ConnectionPool(1, 5, TimeUnit.MINUTES));
        client = tls
                ? ProbeTls.unverified(client).protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
                : client.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
        this.http = client.build();
        this.request = new Request.Builder()
                .url((tls ? "https://" : "http://") + check.hostForUrl() + ":" + check.port()
                        + "/grpc.health.v1.Health/Check")
                .header("User-Agent", "autoreg-sidecar")
                .header("TE", "trailers")
                // the deadline in gRPC's own form, so the neighbour stops working on a probe we gave up on
                .header("grpc-timeout", check.timeout().toMillis() + "m")
                .post(RequestBody.create(requestFrame(check.grpcService()), GRPC))
                .build();
    }

    /** A length-prefixed message (not compressed) holding {@code HealthCheckRequest{service = 1}}. */
    static byte[] requestFrame(String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        Buffer message = new Buffer();
        if (name.length > 0) {
            message.writeByte(0x0a); // field 1, length-delimited
            writeVarint(message, name.length);
            message.write(name);
        }
        return new Buffer()
                .writeByte(0)
                .writeInt((int) message.size())
                .write(message.readByteArray())
                .readByteArray();
    }

    private static void writeVarint(Buffer out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.writeByte((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    @Override
    public Result probe() {
        try (Response response = http.newCall(request).execute()) {
            if (response.code() != 200) {
                return Result.fail("HTTP " + response.code() + " (" + response.protocol() + "): not a gRPC server?");
            }
            String type = response.header("Content-Type");
            if (type == null || !type.startsWith("application/grpc")) {
                return Result.fail("HTTP 200 with Content-Type " + type + ": not a gRPC server?");
            }
            // a call that ends at once (an error) carries its status in the headers: trailers-only
            String headerStatus = response.header("grpc-status");
            if (headerStatus != null) {
                return judge(null, headerStatus, response.header("grpc-message"));
            }
            Integer status = servingStatus(response.body().source());
            Headers trailers = response.trailers();
            return judge(status, trailers.get("grpc-status"), trailers.get("grpc-message"));
        } catch (MalformedAnswer e) {
            return Result.fail("not a gRPC health answer: " + e.getMessage());
        } catch (IOException e) {
            http.connectionPool().evictAll();
            return Result.fail(Log.describe(e) + hint(e));
        }
    }

    /**
     * What a failure after the connection was made most likely means: the port speaks TLS to a {@code grpc} check
     * (the server resets the connection, or answers without HTTP/2's preface) or cleartext to a {@code grpcs} one, or
     * HTTP/1 (whose first bytes OkHttp reads as an HTTP/2 frame too large). Refused connections and timeouts say
     * enough themselves.
     */
    private String hint(IOException e) {
        if (e instanceof ConnectException || e instanceof InterruptedIOException) {
            return "";
        }
        if (tls) {
            return e instanceof SSLException ? " (no TLS on this port: type = grpc?)" : "";
        }
        return " (this port does not speak cleartext HTTP/2: TLS, then type = grpcs, or an HTTP/1 server?)";
    }

    private static Result judge(Integer servingStatus, String grpcStatus, String grpcMessage) {
        if (grpcStatus == null) {
            return Result.fail("no grpc-status in the answer: not a gRPC server?");
        }
        int code;
        try {
            code = Integer.parseInt(grpcStatus.strip());
        } catch (NumberFormatException e) {
            return Result.fail("grpc-status '" + grpcStatus + "' is not a number");
        }
        if (code != 0) {
            String name = code > 0 && code < CODES.size() ? CODES.get(code) : "code " + code;
            String hint = code == 12 ? ": the server does not implement grpc.health.v1.Health" : "";
            String message =
                    grpcMessage == null || grpcMessage.isEmpty() ? "" : " (" + decodedMessage(grpcMessage) + ")";
            return Result.fail("gRPC " + name + hint + message);
        }
        if (servingStatus == null) {
            return Result.fail("gRPC OK without a health answer");
        }
        String name = servingStatus >= 0 && servingStatus < SERVING_STATUS.size()
                ? SERVING_STATUS.get(servingStatus)
                : "status " + servingStatus;
        return new Result(servingStatus == SERVING, name);
    }

    /** grpc-message is percent-encoded (gRPC over HTTP/2); a malformed one is shown as it came. */
    private static String decodedMessage(String message) {
        try {
            return URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return message;
        }
    }

    /**
     * The {@code status} (field 1, an enum) of the one {@code HealthCheckResponse} in the body; 0 ({@code UNKNOWN})
     * when the field is absent, as protobuf reads it; null when the body holds no message (an error follows in the
     * trailers).
     */
    private static Integer servingStatus(BufferedSource body) throws IOException {
        if (body.exhausted()) {
            return null;
        }
        int compressed = body.readByte();
        long length = body.readInt() & 0xffffffffL;
        if (compressed != 0) {
            throw new MalformedAnswer("a compressed message, which the probe did not ask for");
        }
        if (length > MAX_MESSAGE) {
            throw new MalformedAnswer("a message of " + length + " bytes");
        }
        Buffer message = new Buffer();
        try {
            body.readFully(message, length);
        } catch (EOFException e) {
            throw new MalformedAnswer("a message cut short");
        }
        int status = 0;
        while (!message.exhausted()) {
            long tag = readVarint(message);
            int wireType = (int) (tag & 7);
            if (tag >>> 3 == 1 && wireType == 0) {
                status = (int) readVarint(message);
            } else {
                skipField(message, wireType); // a field a newer health.proto may add
            }
        }
        // drain to the end of the stream, so the trailers can be read
        while (!body.exhausted()) {
            body.skip(body.getBuffer().size());
        }
        return status;
    }

    private static long readVarint(Buffer in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (in.exhausted()) {
                throw new MalformedAnswer("a varint cut short");
            }
            byte b = in.readByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedAnswer("a varint longer than 10 bytes");
    }

    private static void skipField(Buffer in, int wireType) throws IOException {
        switch (wireType) {
            case 0:
                readVarint(in);
                return;
            case 1:
                skipBytes(in, 8);
                return;
            case 2:
                skipBytes(in, readVarint(in));
                return;
            case 5:
                skipBytes(in, 4);
                return;
            default:
                throw new MalformedAnswer("wire type " + wireType);
        }
    }

    private static void skipBytes(Buffer in, long count) throws IOException {
        if (count < 0 || count > in.size()) {
            throw new MalformedAnswer("a field cut short");
        }
        in.skip(count);
    }

    /** An answer that is not a well-formed {@code HealthCheckResponse}. */
    private static final class MalformedAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message);
        }
    }
}
