package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void aReturnedBufferIsTakenAgainClearedOnTheSameThread() {
        BufferPool pool = new BufferPool(64, true, 4);
        PooledByteBuffer first = pool.allocate();
        ByteBuffer buffer = first.getBuffer();
        assertTrue(buffer.isDirect());
        assertEquals(64, buffer.capacity());
        buffer.put((byte) 1).flip();
        first.close();
        PooledByteBuffer second = pool.allocate();
        assertSame(buffer, second.getBuffer());
        assertEquals(0, second.getBuffer().position());
        assertEquals(64, second.getBuffer().limit());
        second.close();
    }

    @Test
    void aBufferIsReturnedOnceAndUnusableAfterwards() {
        BufferPool pool = new BufferPool(64, true, 4);
        PooledByteBuffer pooled = pool.allocate();
        ByteBuffer buffer = pooled.getBuffer();
        assertTrue(pooled.isOpen());
        pooled.close();
        pooled.close();
        assertFalse(pooled.isOpen());
        assertThrows(IllegalStateException.class, pooled::getBuffer);
        // returned once: two allocations get one recycled buffer and one new one
        PooledByteBuffer a = pool.allocate();
        PooledByteBuffer b = pool.allocate();
        assertSame(buffer, a.getBuffer());
        assertNotSame(buffer, b.getBuffer());
    }

    @Test
    void beyondTheThreadsOwnBuffersTheSharedQueueIsBounded() {
        BufferPool pool = new BufferPool(64, true, 3);
        List<PooledByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < BufferPool.THREAD_CACHE + 10; i++) {
            taken.add(pool.allocate());
        }
        taken.forEach(PooledByteBuffer::close);
        assertEquals(3, pool.sharedSize());
    }

    @Test
    void aBufferFreedOnAnotherThreadIsReusedThroughTheSharedQueue() throws Exception {
        BufferPool pool = new BufferPool(64, true, 4);
        PooledByteBuffer pooled = pool.allocate();
        ByteBuffer buffer = pooled.getBuffer();
        // the other thread's own stack takes it; fill that stack first so the buffer overflows to the queue
        CompletableFuture.runAsync(() -> {
                    List<PooledByteBuffer> own = new ArrayList<>();
                    for (int i = 0; i < BufferPool.THREAD_CACHE; i++) {
                        own.add(pool.allocate());
                    }
                    own.forEach(PooledByteBuffer::close);
                    pooled.close();
                })
                .get(10, TimeUnit.SECONDS);
        assertEquals(1, pool.sharedSize());
        assertSame(buffer, pool.allocate().getBuffer());
        assertEquals(0, pool.sharedSize());
    }

    @Test
    void theArrayBackedPoolHandsOutHeapBuffersOfTheSameSize() {
        BufferPool pool = new BufferPool(128, true, 4);
        PooledByteBuffer heap = pool.getArrayBackedPool().allocate();
        assertFalse(heap.getBuffer().isDirect());
        assertTrue(heap.getBuffer().hasArray());
        assertEquals(128, pool.getArrayBackedPool().getBufferSize());
        assertSame(pool.getArrayBackedPool(), pool.getArrayBackedPool().getArrayBackedPool());
        heap.close();
    }

    @Test
    void afterCloseNothingIsKept() {
        BufferPool pool = new BufferPool(64, true, 4);
        PooledByteBuffer pooled = pool.allocate();
        pool.close();
        pooled.close();
        assertEquals(0, pool.sharedSize());
        assertTrue(pool.allocate().getBuffer().isDirect()); // still usable by a request finishing late
    }
}
