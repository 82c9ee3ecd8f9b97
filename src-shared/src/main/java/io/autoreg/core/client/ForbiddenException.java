package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/** HTTP 403: a valid token for another tenant. */
public class ForbiddenException extends RegistryApiException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String call, Fault fault) {
        super(call, 403, fault);
    }
}
