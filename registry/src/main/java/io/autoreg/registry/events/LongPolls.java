package io.autoreg.registry.events;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Replies;
import io.autoreg.registry.http.Reply;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * The parked long polls of the events feed (docs/api.md §4), grouped by what their answer will be: polls of
 * one tenant with the same start key, query and base URL get the same page, so an event costs one render
 * per group and not one per poll (with 10,000 watchers on one marker that was 10,000 renders of the same
 * page, on the thread that appended the event; docs/benchmarks.md, "Watchers").
 *
 * <p>One thread, {@code autoreg-long-polls}, answers: it renders a group's page once and hands the same
 * read-only bytes to one task per IO thread, which writes every exchange of the group it owns (one task,
 * not one per exchange: each task handed to a sleeping IO thread wakes its selector, 10,000 wake-ups per
 * event otherwise; as in EventStreams). The same thread runs one timer wheel for every poll's {@code wait},
 * instead of a scheduled task per poll. A client that closes its connection while parked frees its slot at
 * once (see {@link Departure}); docs/benchmarks.md, "Watchers" (issue 16, part 1).
 *
 * <p>An answered poll is not taken out of its wheel slot at once (a slot is a lock-free queue, filled by every
 * IO thread); the long-poll thread sweeps the wheel whenever it has taken in more polls since the last sweep
 * than it kept then (and more than {@link #SWEEP_FLOOR}), so the wheel never holds much more than twice the
 * polls that were waiting at its last sweep, and each poll is looked at a bounded number of times.
 * Left to their ticks, 10,000 watchers answered once a second with a 60 s wait would keep 600,000 of them
 * (~50 MB, all promoted to the old generation before they die).
 */
public final class LongPolls implements AutoCloseable {
    static final long TICK_MILLIS = 50;
    private static final int SLOTS = 2048; // 102 s of ticks: more than the longest wait
    private static final long MAX_WAIT_MILLIS = 61_000;
    static final int SWEEP_FLOOR = 4_096;

    /** The answer of a group: its page now, and whether that page holds anything new. */
    public interface Feed {
        boolean hasNewer();

        String page();
    }

    private final LongSupplier clock;
    private final Map<String, Map<Object, Group>> byTenant = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final Queue<Poll>[] wheel = new Queue[SLOTS];

    private final AtomicInteger armedSinceSweep = new AtomicInteger();
    private int keptBySweep; // only on the long-poll thread
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private long doneTick;

    public LongPolls(LongSupplier clock) {
        this.clock = clock;
        for (int i = 0; i < SLOTS; i++) {
            wheel[i] = new ConcurrentLinkedQueue<>();
        }
        thread = new Thread(this::loop, "autoreg-long-polls");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Parks a poll in the group {@code key} of {@code tenant} until an event of the tenant makes
     * {@code feed} newer, or until {@code until} (epoch ms of the clock). {@code feed} is used for the whole
     * group, so it must depend on nothing but the key (a value: equal keys, same group). {@code open} says
     * whether the client is still there.
     */
    public CompletableFuture<Reply> park(
            String tenant, Object key, Supplier<Feed> feed, long until, BooleanSupplier open) {
        Poll poll = new Poll(until, open, null);
        park(tenant, key, feed, poll);
        return poll.answer;
    }

    /**
     * Parks the long poll of {@code exchange} (called on its IO thread, which this dispatches): it is answered
     * with a 200 and the group's page, written on that IO thread, exactly as a route's {@code Reply.okUtf8}
     * would be (docs/api.md §4). A client that closes the connection meanwhile is dropped at once.
     */
    public void park(String tenant, Object key, Supplier<Feed> feed, long until, Call call) {
        HttpServerExchange exchange = call.exchange();
        // A parked poll lives until the next event, seconds: what it keeps, every young collection meanwhile promotes.
        // Without the request line and the response id (assigned again by write) it holds 726 bytes, not 987 (a class
        // histogram of 900 parked polls against the same answered, docs/benchmarks.md "Watchers").
        call.shedRequestLine();
        exchange.getResponseHeaders().remove(Replies.RESPONSE_ID);
        Poll poll = new Poll(until, exchange.getConnection()::isOpen, exchange);
        exchange.dispatch(io.undertow.util.SameThreadExecutor.INSTANCE, () -> {
            park(tenant, key, feed, poll);
            Departure.watch(exchange, poll, this::left);
        });
    }

    private void park(String tenant, Object key, Supplier<Feed> feed, Poll poll) {
        Group group;
        while (true) {
            group = byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(key, k -> new Group(tenant, k, feed.get()));
            poll.group = group; // before the add: the answering thread may forget it right after
            if (group.add(poll)) {
                break;
            }
            byTenant.get(tenant).remove(key, group); // closed by the answering thread meanwhile: a fresh one
        }
        arm(poll, poll.until - clock.getAsLong());
        // An event appended between the caller's check and the add would have found no poll to wake.
        if (group.feed.hasNewer()) {
            changed(tenant);
        }
    }

    /** The connection of a parked poll closed: its slot is freed now, not when its wait ends. */
    private void left(Poll poll) {
        Group group = poll.group;
        if (group != null && group.remove(poll)) {
            poll.forget(); // the wheel drops it at its tick or its next sweep
            if (group.size() == 0) {
                Map<Object, Group> groups = byTenant.get(group.tenant);
                if (groups != null && group.closeIfEmpty()) {
                    groups.remove(group.key, group);
                }
            }
        }
    }

    /** An event was appended for {@code tenant}: its groups are answered by the long-poll thread. */
    public void changed(String tenant) {
        if (byTenant.containsKey(tenant) && changed.add(tenant)) {
            LockSupport.unpark(thread);
        }
    }

    /** Parked polls (for tests and metrics). */
    public int parked() {
        int n = 0;
        for (Map<Object, Group> groups : byTenant.values()) {
            for (Group group : groups.values()) {
                n += group.size();
            }
        }
        return n;
    }

    /** Page renders so far: one per answered group, however many polls it held (for tests). */
    public long renders() {
        return renders;
    }

    private volatile long renders;

    private void arm(Poll poll, long remainingMillis) {
        long tick = tickOf(System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Math.max(TICK_MILLIS, Math.min(MAX_WAIT_MILLIS, remainingMillis))));
        poll.tick = tick;
        wheel[(int) (tick % SLOTS)].add(poll);
        armedSinceSweep.incrementAndGet();
    }

    /** Polls in the timer wheel, waiting or answered but not yet swept (for tests). */
    int wheelEntries() {
        int n = 0;
        for (Queue<Poll> slot : wheel) {
            n += slot.size();
        }
        return n;
    }

    /**
     * Drops answered and departed polls from every slot once more have come in since the last sweep than were
     * kept then (and at least {@link #SWEEP_FLOOR}): each poll is looked at a bounded number of times, and a
     * quiet wheel is not walked at all.
     */
    private void sweepIfDue() {
        if (armedSinceSweep.get() <= Math.max(SWEEP_FLOOR, keptBySweep)) {
            return;
        }
        armedSinceSweep.set(0); // polls armed from here on count towards the next sweep
        int kept = 0;
        for (Queue<Poll> slot : wheel) {
            slot.removeIf(poll -> poll.done || poll.group == null);
            kept += slot.size();
        }
        keptBySweep = kept;
    }

    private long tickOf(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos) / TICK_MILLIS + 1;
    }

    private void loop() {
        doneTick = tickOf(System.nanoTime()) - 1;
        while (running) {
            try {
                for (String tenant : changed) {
                    changed.remove(tenant);
                    answerChanged(tenant);
                }
                long now = tickOf(System.nanoTime()) - 1;
                while (doneTick < now) {
                    doneTick++;
                    expire(wheel[(int) (doneTick % SLOTS)], doneTick);
                }
                sweepIfDue(); // also while changes keep coming: that is when answered polls pile up fastest
            } catch (RuntimeException e) {
                System.err.println("[autoreg] registry: answering long polls failed: " + e);
            }
            if (changed.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            }
        }
    }

    private void answerChanged(String tenant) {
        Map<Object, Group> groups = byTenant.get(tenant);
        if (groups == null) {
            return;
        }
        for (Group group : groups.values()) {
            if (group.feed.hasNewer()) {
                List<Poll> polls = group.close();
                groups.remove(group.key, group);
                answer(group, polls);
            }
        }
    }

    /** The polls of this wheel slot that are due; the others (a later turn, or a clock not yet there) re-armed. */
    private void expire(Queue<Poll> slot, long tick) {
        Map<Group, List<Poll>> due = new HashMap<>();
        long now = clock.getAsLong();
        Poll poll;
        int n = slot.size();
        for (int i = 0; i < n && (poll = slot.poll()) != null; i++) {
            if (poll.done) {
                continue;
            }
            Group group = poll.group; // null once forgotten by another thread
            if (group == null) {
                continue;
            }
            if (poll.tick > tick) {
                slot.add(poll);
            } else if (now >= poll.until || !poll.open.getAsBoolean()) {
                if (group.remove(poll)) {
                    List<Poll> answers = due.computeIfAbsent(group, g -> new ArrayList<>());
                    answers.add(poll);
                    if (answers.size() == 1) {
                        // The group's other polls that are due by now (parked in neighbouring ticks) share this render.
                        answers.addAll(group.takeDue(now));
                    }
                }
            } else {
                arm(poll, poll.until - now);
            }
        }
        due.forEach(this::answer);
        for (Group group : due.keySet()) {
            if (group.size() == 0) {
                Map<Object, Group> groups = byTenant.get(group.tenant);
                if (groups != null && group.closeIfEmpty()) {
                    groups.remove(group.key, group);
                }
            }
        }
    }

    private void answer(Group group, List<Poll> polls) {
        List<Poll> open = new ArrayList<>(polls.size());
        for (Poll poll : polls) {
            poll.done = true;
            // A client that left gets nothing: its future is dropped with its exchange, nothing rendered or written.
            if (poll.open.getAsBoolean()) {
                open.add(poll);
            }
        }
        if (open.isEmpty()) {
            polls.forEach(Poll::forget);
            return;
        }
        byte[] utf8 = group.feed.page().getBytes(StandardCharsets.UTF_8);
        renders++;
        // One read-only view of the page; each exchange writes its own duplicate() of it (no copy of the bytes).
        ByteBuffer page = ByteBuffer.wrap(utf8).asReadOnlyBuffer();
        Reply reply = null;
        Map<XnioIoThread, List<HttpServerExchange>> byIoThread = new HashMap<>();
        for (Poll poll : open) {
            HttpServerExchange exchange = poll.exchange; // null if its client left meanwhile
            if (poll.answer != null) {
                reply = reply != null ? reply : Reply.okUtf8(utf8);
                poll.answer.complete(reply);
            } else if (exchange != null) {
                byIoThread
                        .computeIfAbsent(exchange.getIoThread(), io -> new ArrayList<>())
                        .add(exchange);
            }
        }
        for (Poll poll : polls) {
            poll.forget();
        }
        byIoThread.forEach((io, exchanges) -> io.execute(() -> {
            for (HttpServerExchange exchange : exchanges) {
                write(exchange, page);
            }
        }));
    }

    /** On the exchange's IO thread: what Replies.send writes for {@code Reply.okUtf8}, byte for byte. */
    private static void write(HttpServerExchange exchange, ByteBuffer page) {
        try {
            Replies.assignResponseId(exchange);
            Departure.stop(exchange);
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Replies.JSON);
            exchange.getResponseSender().send(page.duplicate());
        } catch (RuntimeException e) {
            System.err.println("[autoreg] registry: answering a long poll failed: " + e);
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** Answers every parked poll with its page now (the state is being replaced or the server stops). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Map<Object, Group> groups : byTenant.values()) {
            for (Group group : groups.values()) {
                answer(group, group.close());
            }
        }
        byTenant.clear();
    }

    static final class Poll {
        final CompletableFuture<Reply> answer; // null for a poll answered on its exchange
        volatile HttpServerExchange exchange; // null for a poll answered through its future, or once answered
        final long until;
        final BooleanSupplier open;
        volatile Group group;
        volatile boolean done;
        long tick;

        Poll(long until, BooleanSupplier open, HttpServerExchange exchange) {
            this.until = until;
            this.open = open;
            this.exchange = exchange;
            this.answer = exchange == null ? new CompletableFuture<>() : null;
        }

        /**
         * Answered or gone: the poll stays in its wheel slot until the tick of its wait (up to a minute), so it
         * must not keep its exchange (and, through the group's feed, the first poll's call) alive meanwhile.
         * Keeping them cost ~80 MB of live heap with 10,000 watchers re-polling (docs/benchmarks.md, "Watchers").
         */
        void forget() {
            done = true;
            exchange = null;
            group = null;
        }
    }

    /** Polls that get the same page. Closed once answered: a poll that comes later starts a new group. */
    private static final class Group {
        final String tenant;
        final Object key;
        final Feed feed;
        private Set<Poll> polls = new LinkedHashSet<>();
        private boolean closed;

        Group(String tenant, Object key, Feed feed) {
            this.tenant = tenant;
            this.key = key;
            this.feed = feed;
        }

        synchronized boolean add(Poll poll) {
            if (closed) {
                return false;
            }
            polls.add(poll);
            return true;
        }

        synchronized boolean remove(Poll poll) {
            return !closed && polls.remove(poll);
        }

        synchronized int size() {
            return polls.size();
        }

        synchronized List<Poll> takeDue(long now) {
            List<Poll> due = new ArrayList<>();
            if (closed) {
                return due;
            }
            for (var it = polls.iterator(); it.hasNext(); ) {
                Poll poll = it.next();
                if (now >= poll.until) {
                    it.remove();
                    due.add(poll);
                }
            }
            return due;
        }

        synchronized List<Poll> close() {
            closed = true;
            List<Poll> out = new ArrayList<>(polls);
            polls = Set.of();
            return out;
        }

        synchronized boolean closeIfEmpty() {
            if (!polls.isEmpty()) {
                return false;
            }
            closed = true;
            return true;
        }
    }
}
