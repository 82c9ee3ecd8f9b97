package io.autoreg.registry.http;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's buffers, without a lock on the request path. Undertow's {@code DefaultByteBufferPool}
 * (2.3) finds each thread's cache in a {@code Collections.synchronizedMap(WeakHashMap)}, so every
 * buffer taken or returned — at least two per request, read and write — takes one monitor shared by
 * all IO threads and polls a reference queue under another. On 2 cores an IO thread that is preempted
 * while holding it stalls the other one too; JFR of the heartbeat benchmark put the pool in every
 * request (docs/benchmarks.md, "Heartbeat tail").
 * <p>Here each thread keeps a few buffers in a plain {@link ThreadLocal} stack (IO threads live as long
 * as the server, so nothing leaks), and overflow goes through a lock-free queue bounded in buffers, so
 * direct memory stays bounded (the README recommends {@code -XX:MaxDirectMemorySize=32m}).
 * A buffer freed on another thread than the one that took it simply joins that thread's stack or the queue.
 */
public final class BufferPool implements ByteBufferPool {
    /** Per thread: enough for a request's read and write buffers plus a streamed list page. */
    static final int THREAD_CACHE = 8;

    private final int bufferSize;
    private final boolean direct;
    private final int maxShared;
    private final ConcurrentLinkedQueue<ByteBuffer> shared = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sharedCount = new AtomicInteger();
    private final ThreadLocal<Stack> local = ThreadLocal.withInitial(Stack::new);
    private final BufferPool arrayBacked;
    private volatile boolean closed;

    /**
     * @param bufferSize bytes per buffer
     * @param direct direct buffers (what the IO threads read and write) or heap arrays
     * @param maxShared buffers the shared queue keeps beyond the threads' own; more are left to the GC
     */
    public BufferPool(int bufferSize, boolean direct, int maxShared) {
        this.bufferSize = bufferSize;
        this.direct = direct;
        this.maxShared = maxShared;
        this.arrayBacked = direct ? new BufferPool(bufferSize, false, maxShared) : this;
    }

    @Override
    public PooledByteBuffer allocate() {
        ByteBuffer buffer = local.get().pop();
        if (buffer == null) {
            buffer = shared.poll();
            if (buffer != null) {
                sharedCount.decrementAndGet();
            } else {
                buffer = direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
            }
        }
        buffer.clear();
        return new Pooled(this, buffer);
    }

    void free(ByteBuffer buffer) {
        if (closed || local.get().push(buffer)) {
            return;
        }
        if (sharedCount.incrementAndGet() <= maxShared) {
            shared.add(buffer);
        } else {
            sharedCount.decrementAndGet();
        }
    }

    /** Buffers in the shared queue (for tests). */
    int sharedSize() {
        return sharedCount.get();
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return arrayBacked;
    }

    @Override
    public void close() {
        closed = true;
        shared.clear();
        sharedCount.set(0);
        if (arrayBacked != this) {
            arrayBacked.close();
        }
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    /** One thread's buffers; only its thread touches it. */
    private static final class Stack {
        final ByteBuffer[] buffers = new ByteBuffer[THREAD_CACHE];
        int size;

        ByteBuffer pop() {
            if (size == 0) {
                return null;
            }
            ByteBuffer b = buffers[--size];
            buffers[size] = null;
            return b;
        }

        boolean push(ByteBuffer b) {
            if (size == buffers.length) {
                return false;
            }
            buffers[size++] = b;
            return true;
        }
    }

    /** A taken buffer; closing it twice returns it once, and it cannot be read after it is returned. */
    private static final class Pooled implements PooledByteBuffer {
        private static final VarHandle BUFFER;

        static {
            try {
                BUFFER = MethodHandles.lookup().findVarHandle(Pooled.class, "buffer", ByteBuffer.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final BufferPool pool;

        @SuppressWarnings("unused") // through BUFFER
        private volatile ByteBuffer buffer;

        Pooled(BufferPool pool, ByteBuffer buffer) {
            this.pool = pool;
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer b = buffer;
            if (b == null) {
                throw new IllegalStateException("buffer already returned to the pool");
            }
            return b;
        }

        @Override
        public void close() {
            ByteBuffer b = (ByteBuffer) BUFFER.getAndSet(this, (ByteBuffer) null);
            if (b != null) {
                pool.free(b);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }

        @Override
        public String toString() {
            return "PooledBuffer[" + (buffer != null ? "open" : "returned") + "]";
        }
    }
}
