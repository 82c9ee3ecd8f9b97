package io.autoreg.registry;

import io.autoreg.registry.store.FileJournal;
import io.autoreg.registry.store.Journal;
import java.util.concurrent.CompletableFuture;

/**
 * The tables are built before the journal exists (the journal replays into them). Records made
 * during replay are not written again: replay only restores what is already on disk. Afterwards each
 * record carries the epoch of the state it was made on, so the journal refuses it once that state
 * has been rolled back.
 */
final class DeferredJournal implements Journal {
    private record Target(FileJournal journal, long epoch) {}

    private volatile Target target;

    void target(FileJournal journal, long epoch) {
        this.target = new Target(journal, epoch);
    }

    @Override
    public CompletableFuture<Void> append(byte[] record) {
        Target t = target;
        return t == null ? CompletableFuture.completedFuture(null) : t.journal().append(record, t.epoch());
    }

    @Override
    public <T> T together(java.util.function.Supplier<T> appends) {
        Target t = target;
        return t == null ? appends.get() : t.journal().together(appends);
    }
}
