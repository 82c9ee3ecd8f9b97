package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/** HTTP 413: the body was over 5000 bytes. */
public class RequestTooLargeException extends RegistryApiException {
    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(String call, Fault fault) {
        super(call, 413, fault);
    }
}
