package io.autoreg.registry.http;

import java.util.concurrent.CompletableFuture;

/**
 * What a route answers: a status, an optional Location and JSON body, and optionally a future the
 * answer must wait for (the journal's fsync of a write, or a long poll).
 */
public record Reply(int status, String location, String json, CompletableFuture<Reply> pending, byte[] utf8) {

    public Reply(int status, String location, String json, CompletableFuture<Reply> pending) {
        this(status, location, json, pending, null);
    }

    public static Reply json(int status, String json) {
        return new Reply(status, null, json, null);
    }

    /** A 200 whose JSON body is already UTF-8 (a cached page); the array must not change afterwards. */
    public static Reply okUtf8(byte[] utf8) {
        return new Reply(200, null, null, null, utf8);
    }

    public static Reply ok(String json) {
        return json(200, json);
    }

    public static Reply created(String location, String json) {
        return new Reply(201, location, json, null);
    }

    public static Reply noContent(String location) {
        return new Reply(204, location, null, null);
    }

    /** An answer given only once {@code durable} completes; a failed future becomes a 503. */
    public static Reply after(CompletableFuture<?> durable, Reply reply) {
        if (durable == null || (durable.isDone() && !durable.isCompletedExceptionally())) {
            return reply;
        }
        return new Reply(0, null, null, durable.thenApply(ignored -> reply));
    }

    public static Reply later(CompletableFuture<Reply> pending) {
        return new Reply(0, null, null, pending);
    }
}
