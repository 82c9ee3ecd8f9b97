package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/** HTTP 404: the service, session, configuration value or heartbeat token is unknown. */
public class NotFoundException extends RegistryApiException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String call, Fault fault) {
        super(call, 404, fault);
    }
}
