package io.autoreg.registry;

import io.autoreg.registry.store.Journal;
import java.util.concurrent.CompletableFuture;

/**
 * The tables are built before the journal exists (the journal replays into them). Records made
 * during replay are not written again: replay only restores what is already on disk.
 */
final class DeferredJournal implements Journal {
  private volatile Journal target;

  void target(Journal journal) { this.target = journal; }

  @Override
  public CompletableFuture<Void> append(byte[] record) {
    Journal t = target;
    return t == null ? CompletableFuture.completedFuture(null) : t.append(record);
  }
}
