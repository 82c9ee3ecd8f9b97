package io.autoreg.registry.http;

/** A resource: answers one call or throws {@link ApiError}. Runs on an IO thread, so it must not block. */
@FunctionalInterface
public interface Route {
    Reply handle(Call call);
}
