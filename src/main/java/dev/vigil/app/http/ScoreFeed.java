package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.stream.VigilJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dashboard shows beyond the stores: the recent score records (predictions, scores, model versions) of up
 * to {@value #MAX_KEYS} keys, the last {@value #POINTS} each, and the last {@value #ALERTS} alert records, read from
 * the served topologies' scores and alerts topics (every partition, committed records only) by one consumer thread
 * outside any group. At start it reads back at most {@value #BACKLOG} records per partition. When more keys than
 * {@value #MAX_KEYS} write, the least recently updated key is dropped, except keys viewed in the last
 * {@value #PIN_MINUTES} minutes. Thread-safe.
 */
public final class ScoreFeed implements AutoCloseable {
    static final int POINTS = 2000;
    static final int MAX_KEYS = 1000;
    static final int ALERTS = 2000;
    static final int BACKLOG = 100_000;
    static final int PIN_MINUTES = 10;
    /** At most this many keys' latest alert are kept for the fleet view's "reason" column. */
    static final int MAX_LATEST_ALERTS = 100_000;
    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ScoreFeed.class);

    /** One alert record as read from an alerts topic. */
    record AlertRecord(String topic, String key, long ts, String type, double score, String reason, String detail,
                       List<String> channels, long modelVersion) {
    }

    private final Set<String> scoreTopics;
    private final Set<String> alertTopics;
    private final Map<String, KeySeries> series = new LinkedHashMap<>(16, 0.75f, false);
    private final Map<String, Long> viewed = new HashMap<>();
    private final ArrayList<AlertRecord> alerts = new ArrayList<>();
    private int alertsNext;
    private final Map<String, AlertRecord> latestAlert = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AlertRecord> eldest) {
            return size() > MAX_LATEST_ALERTS;
        }
    };
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean stopping;

    private ScoreFeed(Collection<String> scoreTopics, Collection<String> alertTopics,
                      Map<String, Object> consumerConfig) {
        this.scoreTopics = new LinkedHashSet<>(scoreTopics);
        this.alertTopics = new LinkedHashSet<>(alertTopics);
        this.consumer = consumerConfig == null ? null
                : new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "vigil-dashboard-feed");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the topologies' scores and alerts topics.
     *
     * @param kafka the pass-through Kafka client settings (security etc.), as the service's producers get them
     */
    public static ScoreFeed start(String bootstrapServers, Map<String, String> kafka, List<ServedTopology> topologies) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        ScoreFeed feed = new ScoreFeed(topologies.stream().map(t -> t.topology().scoresTopic()).toList(),
                topologies.stream().map(t -> t.topology().alertsTopic()).toList(), config);
        feed.thread.start();
        return feed;
    }

    /** A feed that reads nothing: records are given to {@link #accept} (tests). */
    static ScoreFeed detached(Collection<String> scoreTopics, Collection<String> alertTopics) {
        return new ScoreFeed(scoreTopics, alertTopics, null);
    }

    private void run() {
        try {
            while (!stopping && !assignFromBacklog()) {
                LOG.warn("dashboard feed: topics {} not found; charts show readings only until they exist (next try in"
                        + " {} s)", topics(), RETRY.toSeconds());
                for (long waited = 0; waited < RETRY.toMillis() && !stopping; waited += 200) {
                    Thread.sleep(200);
                }
            }
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    accept(r.topic(), r.key(), r.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("dashboard feed stopped: charts show readings only from now on", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>(scoreTopics);
        topics.addAll(alertTopics);
        return topics;
    }

    /** Assigns every partition of the topics, {@link #BACKLOG} records back at most; false if a topic is missing. */
    private boolean assignFromBacklog() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics()) {
            List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (info == null || info.isEmpty()) {
                return false;
            }
            info.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - BACKLOG));
        }
        return true;
    }

    /** Takes one record of a scores or alerts topic; an unreadable one is skipped. */
    void accept(String topic, String key, byte[] value) {
        if (key == null || value == null) {
            return;
        }
        JsonNode n;
        try {
            n = VigilJson.MAPPER.readTree(value);
        } catch (IOException e) {
            return;
        }
        if (alertTopics.contains(topic) && n.has("type")) {
            alert(topic, key, n);
        } else if (scoreTopics.contains(topic) && n.has("score")) {
            score(topic, key, n);
        }
    }

    private synchronized void score(String topic, String key, JsonNode n) {
        String id = id(topic, key);
        KeySeries s = series.remove(id);
        JsonNode values = n.get("values");
        JsonNode prediction = n.get("prediction");
        if (s == null) {
            String[] channels = values != null && values.isObject() ? names(values) : new String[] {"value"};
            s = new KeySeries(POINTS, channels);
        }
        series.put(id, s);
        double[] reading = reading(values != null ? values : n.get("value"), s.channels());
        double[] p = reading(prediction, s.channels());
        if (reading != null) {
            s.append(n.path("ts").asLong(), reading, p, n.path("score").asDouble(), n.path("modelVersion").asLong());
        }
        if (series.size() > MAX_KEYS) {
            evictOne();
        }
    }

    private void evictOne() {
        long pinnedAfter = System.currentTimeMillis() - PIN_MINUTES * 60_000L;
        for (Iterator<Map.Entry<String, KeySeries>> it = series.entrySet().iterator(); it.hasNext(); ) {
            String id = it.next().getKey();
            Long seen = viewed.get(id);
            if (seen == null || seen < pinnedAfter) {
                it.remove();
                viewed.remove(id);
                return;
            }
        }
    }

    private synchronized void alert(String topic, String key, JsonNode n) {
        List<String> channels = new ArrayList<>();
        n.path("channels").forEach(c -> channels.add(c.asText()));
        AlertRecord a = new AlertRecord(topic, key, n.path("ts").asLong(), n.path("type").asText(),
                n.path("score").asDouble(), text(n.get("reason")), text(n.get("detail")), List.copyOf(channels),
                n.path("modelVersion").asLong());
        if (alerts.size() < ALERTS) {
            alerts.add(a);
        } else {
            alerts.set(alertsNext, a);
        }
        alertsNext = (alertsNext + 1) % ALERTS;
        latestAlert.remove(id(topic, key));
        latestAlert.put(id(topic, key), a);
    }

    /**
     * The key's recent score records after {@code since} into {@code out} ({@link KeySeries#write}), with
     * {@code "seen": false} and empty arrays when the feed holds none; marks the key as viewed.
     */
    public synchronized void series(String scoresTopic, String key, long since, ObjectNode out) {
        String id = id(scoresTopic, key);
        viewed.put(id, System.currentTimeMillis());
        KeySeries s = series.get(id);
        out.put("seen", s != null);
        (s == null ? new KeySeries(1, new String[0]) : s).write(out, since);
    }

    /** The latest alert records, newest first, of the given topic (any with null) and key (any with null). */
    public synchronized List<AlertRecord> alerts(String topic, String key, int limit) {
        List<AlertRecord> out = new ArrayList<>();
        int n = alerts.size();
        for (int i = 1; i <= n && out.size() < limit; i++) {
            AlertRecord a = alerts.get(Math.floorMod(alertsNext - i, n));
            if ((topic == null || a.topic().equals(topic)) && (key == null || a.key().equals(key))) {
                out.add(a);
            }
        }
        return out;
    }

    /** The key's latest alert record, or null. */
    public synchronized AlertRecord latestAlert(String topic, String key) {
        return latestAlert.get(id(topic, key));
    }

    private static String id(String topic, String key) {
        return topic + '\u0000' + key;
    }

    /** A reading or prediction (a number, or an object by channel), or null when absent. */
    private static double[] reading(JsonNode n, int channels) {
        if (n == null || n.isNull()) {
            return null;
        }
        double[] out = new double[channels];
        if (n.isObject()) {
            Iterator<JsonNode> it = n.elements();
            for (int c = 0; c < channels && it.hasNext(); c++) {
                JsonNode x = it.next();
                // a counter channel's first reading has no increase: null, a gap in the chart
                out[c] = x.isNull() ? Double.NaN : x.asDouble();
            }
        } else {
            out[0] = n.asDouble();
        }
        return out;
    }

    private static String[] names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names.toArray(new String[0]);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    @Override
    public void close() {
        stopping = true;
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
