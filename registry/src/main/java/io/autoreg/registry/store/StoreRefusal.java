package io.autoreg.registry.store;

import java.io.IOException;

/**
 * The store cannot start without risking acknowledged data (damage, a second registry on the data dir,
 * no room to write): the message is one line for the operator, naming the file and what to do.
 */
public final class StoreRefusal extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreRefusal(String message) {
        super(message, null);
    }
}
