package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.VigilException;
import dev.vigil.stream.VigilJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One page of the fleet view: keys whose name contains {@code q} (ignoring case), open alerts first, then by
 * {@code sort} ({@code key}, {@code score}, {@code lastTimestamp}, {@code modelVersion}, {@code events}) in
 * {@code order} ({@code asc}, {@code desc}), ties by key; {@code limit} rows from {@code offset}. Each instance
 * answers the first {@code offset + limit} rows of its own keys ({@link #top}) and the serving instance merges them
 * ({@link #page}), so no instance sends more than a page's depth. Immutable; the sorting is pure.
 */
record FleetQuery(String q, String sort, boolean descending, int offset, int limit) {
    static final int MAX_LIMIT = 500;
    static final int MAX_DEPTH = 100_000;
    private static final List<String> SORTS = List.of("key", "score", "lastTimestamp", "modelVersion", "events");

    /** One key's row. */
    record Row(String key, long lastTimestamp, double score, boolean alertOpen, String reason, long alertsOpened,
               long modelVersion, boolean warmup, long events, String instance) {
        ObjectNode toJson() {
            ObjectNode n = VigilJson.MAPPER.createObjectNode().put("key", key);
            if (lastTimestamp == Long.MIN_VALUE) {
                n.putNull("lastTimestamp");
            } else {
                n.put("lastTimestamp", lastTimestamp);
            }
            return n.put("score", score).put("alertOpen", alertOpen).put("reason", reason)
                    .put("alertsOpened", alertsOpened).put("modelVersion", modelVersion).put("warmup", warmup)
                    .put("events", events).put("instance", instance);
        }

        static Row fromJson(JsonNode n) {
            return new Row(n.path("key").asText(), n.path("lastTimestamp").isNumber()
                    ? n.path("lastTimestamp").asLong() : Long.MIN_VALUE, n.path("score").asDouble(),
                    n.path("alertOpen").asBoolean(), n.path("reason").isTextual() ? n.path("reason").asText() : null,
                    n.path("alertsOpened").asLong(), n.path("modelVersion").asLong(), n.path("warmup").asBoolean(),
                    n.path("events").asLong(), n.path("instance").asText());
        }
    }

    FleetQuery {
        if (!SORTS.contains(sort)) {
            throw new VigilException("sort must be one of " + SORTS + ", got '" + sort + "'");
        }
        if (offset < 0 || limit < 1 || (long) offset + limit > MAX_DEPTH) {
            throw new VigilException("need offset >= 0, limit >= 1 and offset + limit <= " + MAX_DEPTH + ", got offset "
                    + offset + ", limit " + limit);
        }
        q = q == null ? "" : q.toLowerCase(Locale.ROOT);
    }

    /**
     * The query of a request's parameters; defaults: no filter, by score, descending, offset 0, limit 50. A browser's
     * page holds at most {@value #MAX_LIMIT} rows; an instance asked by another ({@code forwarded}) answers any depth.
     */
    static FleetQuery of(Map<String, String> parameters, boolean forwarded) {
        String order = parameters.getOrDefault("order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new VigilException("order must be asc or desc, got '" + order + "'");
        }
        int limit = integer(parameters, "limit", 50);
        if (!forwarded && limit > MAX_LIMIT) {
            throw new VigilException("limit must be at most " + MAX_LIMIT + ", got " + limit);
        }
        return new FleetQuery(parameters.get("q"), parameters.getOrDefault("sort", "score"), order.equals("desc"),
                integer(parameters, "offset", 0), limit);
    }

    private static int integer(Map<String, String> parameters, String name, int orElse) {
        String v = parameters.get(name);
        try {
            return v == null ? orElse : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new VigilException(name + " must be an integer, got '" + v + "'");
        }
    }

    boolean matches(String key) {
        return q.isEmpty() || key.toLowerCase(Locale.ROOT).contains(q);
    }

    /** Open alerts first, then the chosen order, then key. */
    Comparator<Row> order() {
        Comparator<Row> by = switch (sort) {
            case "score" -> Comparator.comparingDouble(Row::score);
            case "lastTimestamp" -> Comparator.comparingLong(Row::lastTimestamp);
            case "modelVersion" -> Comparator.comparingLong(Row::modelVersion);
            case "events" -> Comparator.comparingLong(Row::events);
            default -> Comparator.comparing(Row::key);
        };
        return Comparator.comparing((Row r) -> !r.alertOpen()).thenComparing(descending ? by.reversed() : by)
                .thenComparing(Row::key);
    }

    /** The matching rows in order, the first {@code offset + limit} of them. */
    List<Row> top(List<Row> rows) {
        return rows.stream().filter(r -> matches(r.key())).sorted(order()).limit((long) offset + limit).toList();
    }

    /** This page of the rows merged from every instance's {@link #top}. */
    List<Row> page(List<List<Row>> tops) {
        List<Row> all = new ArrayList<>();
        tops.forEach(all::addAll);
        all.sort(order());
        return all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    }

    /** Rows matching the filter among {@code rows}. */
    long count(List<Row> rows) {
        return rows.stream().filter(r -> matches(r.key())).count();
    }

    /** The query string asking a peer for its first {@code offset + limit} rows in this filter and order. */
    String peerQuery() {
        return "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&sort=" + sort + "&order="
                + (descending ? "desc" : "asc") + "&offset=0&limit=" + (offset + limit);
    }
}
