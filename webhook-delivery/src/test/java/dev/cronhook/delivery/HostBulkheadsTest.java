package dev.cronhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostBulkheadsTest {

    private final AtomicLong now = new AtomicLong();
    private final HostBulkheads bulkheads = new HostBulkheads(2, Duration.ofMinutes(5), now::get);

    @Test
    void aDestinationHoldsAtMostTheLimitWhileOthersAreUnaffected() {
        HostBulkheads.Permit first = bulkheads.tryAcquire("a.example:443");
        assertNotNull(first);
        assertNotNull(bulkheads.tryAcquire("a.example:443"));

        assertNull(bulkheads.tryAcquire("a.example:443"));
        assertNotNull(bulkheads.tryAcquire("b.example:443"));
        assertNotNull(bulkheads.tryAcquire("a.example:8443"));

        first.release();
        assertNotNull(bulkheads.tryAcquire("a.example:443"));
    }

    @Test
    void idleDestinationsAreForgottenAndBusyOnesKept() {
        bulkheads.tryAcquire("idle.example:80").release();
        HostBulkheads.Permit busy = bulkheads.tryAcquire("busy.example:80");
        assertEquals(2, bulkheads.size());

        now.addAndGet(Duration.ofMinutes(6).toNanos());
        bulkheads.tryAcquire("new.example:80").release();

        assertEquals(2, bulkheads.size());
        // The busy destination kept its count: one permit is still held.
        assertNotNull(bulkheads.tryAcquire("busy.example:80"));
        assertNull(bulkheads.tryAcquire("busy.example:80"));
        busy.release();
    }

    @Test
    void aDestinationUsedRecentlyIsKept() {
        bulkheads.tryAcquire("recent.example:80").release();
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        bulkheads.tryAcquire("recent.example:80").release();
        now.addAndGet(Duration.ofMinutes(2).toNanos());

        bulkheads.tryAcquire("other.example:80").release();

        assertEquals(2, bulkheads.size());
    }

    @Test
    void theDestinationIsHostAndPortWithTheSchemesDefault() {
        assertEquals("example.com:443", HostBulkheads.destination(URI.create("https://Example.COM/x")));
        assertEquals("example.com:80", HostBulkheads.destination(URI.create("http://example.com/x")));
        assertEquals("example.com:8080", HostBulkheads.destination(URI.create("https://example.com:8080/x")));
        assertEquals("[::1]:80", HostBulkheads.destination(URI.create("http://[::1]/")));
    }
}
