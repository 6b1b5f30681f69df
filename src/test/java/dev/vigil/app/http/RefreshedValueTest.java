package dev.vigil.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefreshedValueTest {
    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    @Test
    void shouldAnswerTheSourcesValueWhenItAnswers() {
        AtomicInteger reads = new AtomicInteger();
        RefreshedValue v = new RefreshedValue(() -> 10 + reads.incrementAndGet(), readers);
        assertEquals(11.0, v.get());
        assertEquals(12.0, v.get(), "each scrape reads afresh");
    }

    @Test
    void shouldNotWaitOnASourceThatWaitsButAnswerTheLastValue() throws InterruptedException {
        CountDownLatch storeHeld = new CountDownLatch(1);
        CountDownLatch secondRead = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        RefreshedValue v = new RefreshedValue(() -> {
            if (reads.incrementAndGet() == 2) {
                secondRead.countDown();
                try {
                    storeHeld.await(); // a stream thread holds the store's cache (a broker outage)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 7;
            }
            return 5;
        }, readers);
        assertEquals(5.0, v.get());
        // the second read waits on the store: scrapes answer the last value, and start no second read beside it
        double during = assertTimeoutPreemptively(Duration.ofSeconds(30), v::get);
        assertEquals(5.0, during);
        assertTrue(secondRead.await(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(5.0, assertTimeoutPreemptively(Duration.ofSeconds(30), v::get));
        assertEquals(2, reads.get(), "one read at a time");
        storeHeld.countDown();
        // once the store answers, its value: the read that waited, then fresh ones
        double after = v.get();
        assertTrue(after == 7.0 || after == 5.0, "the waiting read's value or a fresh one: " + after);
        assertEquals(5.0, v.get(), "later reads answer again");
    }

    @Test
    void shouldAnswerNaNWhenTheSourceFails() {
        RefreshedValue v = new RefreshedValue(() -> {
            throw new org.apache.kafka.streams.errors.InvalidStateStoreException("rebalancing");
        }, readers);
        assertTrue(Double.isNaN(v.get()));
    }
}
