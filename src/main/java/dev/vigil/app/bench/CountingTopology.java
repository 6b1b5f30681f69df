package dev.vigil.app.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;

/**
 * The benchmark's baseline: the cheapest useful stateful topology. Per record it reads the key's count from a
 * persistent, cached, changelogged {@code KeyValueStore<String, Long>}, increments it, writes it back and
 * forwards one 8-byte record. What the detector topology costs beyond this is the detector's own cost.
 */
final class CountingTopology {
    static final String STORE = "bench-count";

    private CountingTopology() {
    }

    static Topology build(String inputTopic, String outputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.Long()).withCachingEnabled());
        builder.stream(inputTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("bench-source"))
                .process(CountProcessor::new, Named.as("bench-count"), STORE)
                .to(outputTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("bench-sink"));
        return builder.build();
    }

    private static final class CountProcessor implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            Long count = counts.get(record.key());
            long next = count == null ? 1 : count + 1;
            counts.put(record.key(), next);
            context.forward(record.withValue(ByteBuffer.allocate(Long.BYTES).putLong(next).array()));
        }
    }
}
