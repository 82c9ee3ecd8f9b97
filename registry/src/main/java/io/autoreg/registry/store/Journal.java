package io.autoreg.registry.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Where state changes go to become durable. The future completes once the record is on disk. */
public interface Journal {
    CompletableFuture<Void> append(byte[] record);

    /**
     * Runs {@code appends} so that all the records it appends are written in one batch, and so stored or
     * refused together: a change and its event never end up one durable and the other not.
     */
    default <T> T together(Supplier<T> appends) {
        return appends.get();
    }
}
