package io.autoreg.registry.store;

import java.util.concurrent.CompletableFuture;

/** Where state changes go to become durable. The future completes once the record is on disk. */
public interface Journal {
  CompletableFuture<Void> append(byte[] record);
}
