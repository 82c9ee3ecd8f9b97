package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/** HTTP 400 (badRequest, invalidLimit, limitReached, rateLimitReached, …): the request will not be accepted as it is. */
public class BadRequestException extends RegistryApiException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String call, int status, Fault fault) {
        super(call, status, fault);
    }
}
