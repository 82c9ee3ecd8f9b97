package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/** HTTP 5xx: the registry is in trouble; transient. */
public class ServerErrorException extends RegistryApiException {
    private static final long serialVersionUID = 1L;

    public ServerErrorException(String call, int status, Fault fault) {
        super(call, status, fault);
    }
}
