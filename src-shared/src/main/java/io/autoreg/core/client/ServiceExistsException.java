package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;

/**
 * 400 {@code serviceWithThisIdExists}: a service with this id is registered — a crashed predecessor
 * that has not expired yet, or someone else. Retry until it expires, or delete it first if it is yours.
 */
public class ServiceExistsException extends BadRequestException {
    private static final long serialVersionUID = 1L;

    public ServiceExistsException(String call, Fault fault) {
        super(call, 400, fault);
    }
}
