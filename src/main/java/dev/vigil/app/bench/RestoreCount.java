package dev.vigil.app.bench;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the records restored into the per-task stores and when the first and last batches came. */
final class RestoreCount implements StateRestoreListener {
    final AtomicLong records = new AtomicLong();
    final AtomicLong first = new AtomicLong();
    final AtomicLong last = new AtomicLong();
    final AtomicLong active = new AtomicLong();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        active.incrementAndGet();
        first.compareAndSet(0, System.nanoTime());
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        records.addAndGet(numRestored);
        last.set(System.nanoTime());
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        active.decrementAndGet();
        last.set(System.nanoTime());
    }
}
