package io.autoreg.sidecar.ops;

import io.autoreg.core.client.EventsListener;
import io.autoreg.core.client.EventsWatcher;
import io.autoreg.core.client.FeedGap;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.WatchOptions;
import io.autoreg.core.client.WatchState;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.internal.log.Log;
import io.autoreg.sidecar.ops.output.Printer;
import io.autoreg.sidecar.ops.output.TableView;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * {@code events list --follow} on the core's {@link EventsWatcher} (docs/api.md §4 and §8): each event is
 * printed as it arrives, in the listing's columns, until Ctrl-C (or SIGTERM), which closes the watcher,
 * flushes and says on stderr where to go on from. A registry that fails at the start ends the command as
 * any other verb (exit 1 with the fault, 3 when unreachable); once following, failures are retried and
 * only reported, and a refusal that retrying cannot change (401, 403, 400) ends it with exit 1.
 */
final class EventsFollow implements EventsListener {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Printer printer;
    private final List<String> fields;
    private final TableView view;
    private final PrintWriter out;
    private final PrintWriter err;
    private boolean headerPrinted;
    private volatile boolean connected;
    private volatile boolean failing;
    private volatile IOException startFailure;

    private EventsFollow(Printer printer, List<String> fields, TableView view, PrintWriter out, PrintWriter err) {
        this.printer = printer;
        this.fields = fields;
        this.view = view;
        this.out = out;
        this.err = err;
    }

    /** Follows until interrupted, closed by a signal, or stopped by the registry; then throws what stopped it. */
    static void run(
            ServiceRegistryClient client,
            WatchOptions options,
            Printer printer,
            List<String> fields,
            TableView view,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        EventsFollow follow = new EventsFollow(printer, fields, view, out, err);
        // This command reports the watcher's failures and gaps itself, in the CLI's words; the core's
        // one-line warnings would say the same twice (--log-level debug keeps them).
        Log.Level level = Log.level();
        if (level != Log.Level.DEBUG) {
            Log.level(Log.Level.ERROR);
        }
        EventsWatcher watcher = client.watch(options, follow);
        Thread onSignal = new Thread(() -> follow.stopped(watcher), "autoreg-cli-follow-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            while (!watcher.awaitStop(POLL)) {
                if (follow.startFailure != null) {
                    throw follow.startFailure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watcher.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running (Ctrl-C): it prints the goodbye
            }
            Log.level(level);
        }
        if (watcher.failure() instanceof IOException refused) {
            throw refused;
        }
    }

    /** The shutdown hook: close first (it joins the printing thread), then flush and say where to resume. */
    private void stopped(EventsWatcher watcher) {
        watcher.close();
        out.flush();
        String marker = watcher.marker();
        err.println("stopped following the events feed"
                + (marker == null ? "" : "; to go on from here: --follow --after " + marker));
        err.flush();
    }

    @Override
    public void onEvent(Event event) {
        connected = true;
        printer.followed(Trees.of(event), fields, view, !headerPrinted, out);
        headerPrinted = true;
        out.flush();
    }

    @Override
    public void onGap(FeedGap gap) {
        err.println("warning: the registry no longer keeps event " + gap.marker()
                + " (past its retention or per-tenant cap):" + " events after it may be missing"
                + (gap.oldestKept() == null ? "" : "; going on from " + gap.oldestKept()));
        err.flush();
    }

    @Override
    public void onState(WatchState state, Exception cause) {
        if (state == WatchState.LIVE) {
            connected = true;
            if (!headerPrinted) {
                printer.followed(null, fields, view, true, out);
                headerPrinted = true;
            }
            if (failing) {
                err.println("reconnected to the registry");
                err.flush();
            }
            failing = false;
        } else if (state == WatchState.RETRYING) {
            if (!connected) {
                // nothing followed yet: end as the one-shot verbs do (exit 1 with a fault, 3 if unreachable)
                startFailure = cause instanceof IOException io ? io : new IOException(cause);
            } else if (!failing) {
                failing = true;
                err.println("warning: lost the registry (" + Log.describe(cause) + "); retrying");
                err.flush();
            }
        }
    }
}
