package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/** HTTP 401: missing, unknown or expired token (the client has already re-authenticated once). */
public class UnauthorizedException extends RegistryApiException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String call, Fault fault) {
        super(call, 401, fault);
    }
}
