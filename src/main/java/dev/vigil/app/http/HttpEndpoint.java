package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.VigilException;
import dev.vigil.config.HttpConfig;
import dev.vigil.stream.VigilJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The service's HTTP endpoint, on the JDK's {@link HttpServer} (no web framework):
 * <ul>
 *   <li>{@code GET /health}: liveness; 200 while no Streams application is in ERROR (or about to be), else 503;</li>
 *   <li>{@code GET /ready}: readiness; 200 only when every Streams application is RUNNING (stores restored) and
 *       the cluster answers ({@link ClusterProbe}), else 503 with the reason; both answer with the applications'
 *       states as JSON;</li>
 *   <li>{@code GET /metrics}: the service's Micrometer meters (JVM, Kafka Streams, Vigil's own) in the Prometheus
 *       text format ({@link ServiceMeters});</li>
 *   <li>{@code GET /sensors/{key}} and {@code /sensors/{key}/history}: a key's state and recent readings
 *       ({@link SensorHandler}), read on the instance that holds the key, in whichever partition its producer
 *       put it; {@code DELETE /sensors/{key}}: forget the key (only with a token set);</li>
 *   <li>{@code GET /}: the dashboard ({@link DashboardFiles}), and its data: {@code /api/fleet} ({@link FleetHandler}),
 *       {@code /api/series/{key}}, {@code /api/alerts}, {@code /api/topologies} ({@link DashboardApi}).</li>
 * </ul>
 * The data endpoints ({@code /sensors}, {@code /api}) are answered on a {@link DataLane} of their own: a store read
 * waits through a broker outage, and the probes and {@code /metrics} must not wait behind it.
 * With {@code http.auth.token} set, {@code /metrics}, {@code /sensors/...} and {@code /api/...} need it as a bearer
 * token ({@link BearerAuth}), and lookups forwarded to other instances carry it ({@link PeerClient}); the probes and
 * the dashboard's static files stay open.
 * {@link #bind} opens the socket first, so that the bound port (with {@code http.port=0}) can be advertised to
 * Kafka Streams ({@code application.server}) before the applications start; {@link #serveStarting} answers the
 * health checks while the service waits for the cluster, and {@link #start} then serves the applications.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    static final String JSON = "application/json";
    private static final int THREADS = 4;
    /** {@code /sensors/{key}}: read (GET, HEAD) and forget (DELETE). */
    private static final List<String> SENSOR_METHODS = List.of("GET", "HEAD", "DELETE");

    private final HttpServer server;
    private final ExecutorService executor;
    /** Where the data endpoints are answered, so that they never hold the probes' threads. */
    private final DataLane dataLane = new DataLane();
    private final String advertised;
    /** {@code http.auth.token}: required by the data endpoints and sent to peers; null for none. */
    private final String authToken;
    /** Whether the server has been started (by {@link #serveStarting} or {@link #start}). */
    private boolean serving;
    private volatile String startingReason;
    /** Sends DELETE's requests to forget a key; null until {@link #start}, and without a token. */
    private ForgetSender forgets;

    private HttpEndpoint(HttpServer server, ExecutorService executor, String advertised, String authToken) {
        this.server = server;
        this.executor = executor;
        this.advertised = advertised;
        this.authToken = authToken;
    }

    /** Binds {@code config.host():config.port()}; nothing is served until {@link #start}. */
    public static HttpEndpoint bind(HttpConfig config) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException | RuntimeException e) {
            throw new VigilException("cannot serve HTTP on " + config.host() + ":" + config.port()
                    + " (http.host, http.port): " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, DaemonThreads.numbered("vigil-http"));
        server.setExecutor(executor);
        return new HttpEndpoint(server, executor, advertisedHost(config) + ":" + server.getAddress().getPort(),
                config.authToken());
    }

    private static String advertisedHost(HttpConfig config) {
        if (config.advertisedHost() != null) {
            return config.advertisedHost();
        }
        if (!config.wildcardHost()) {
            return config.host();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new VigilException("http.advertised.host is needed: http.host is " + config.host()
                    + " and this machine's host name cannot be resolved (" + e.getMessage() + ")", e);
        }
    }

    /** {@code host:port} other instances reach this one at: the value for Streams {@code application.server}. */
    public String advertised() {
        return advertised;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Serves {@code /health} (200) and {@code /ready} (503) with {@code reason} in their bodies, and 503 elsewhere,
     * until {@link #start}: the service is alive while it waits for the cluster. Call again to change the reason.
     */
    public synchronized void serveStarting(String reason) {
        startingReason = reason;
        if (serving) {
            return;
        }
        server.createContext("/health", get(exchange -> StatusHandler.starting(exchange, 200, startingReason)));
        server.createContext("/ready", get(exchange -> StatusHandler.starting(exchange, 503, startingReason)));
        server.createContext("/", get(exchange -> StatusHandler.starting(exchange, 503, startingReason)));
        server.start();
        serving = true;
        LOG.info("HTTP endpoint on {} (advertised as {}): /health /ready while starting", server.getAddress(), advertised);
    }

    /**
     * Starts serving (or, after {@link #serveStarting}, switches to) the given topologies, the service's meters and the
     * dashboard, whose charts and alerts come from {@code feed}; readiness also asks {@code cluster}; with a token,
     * {@code DELETE /sensors/{key}} sends its requests with a producer of {@code producer}'s settings.
     */
    public synchronized void start(List<ServedTopology> topologies, ServiceMeters meters, ScoreFeed feed,
                                   ClusterProbe cluster, Properties producer) {
        if (serving) {
            List.of("/health", "/ready", "/").forEach(server::removeContext);
        }
        StatusHandler status = new StatusHandler(topologies, cluster);
        meters.bind(dataLane);
        // the probes stay open; the data needs the token, when one is set
        BearerAuth auth = new BearerAuth(authToken);
        PeerClient peers = new PeerClient(advertised, authToken);
        server.createContext("/health", get(status::health));
        server.createContext("/ready", get(status::ready));
        server.createContext("/metrics", get(auth.require(exchange -> send(exchange, 200, ServiceMeters.CONTENT_TYPE,
                meters.scrape().getBytes(StandardCharsets.UTF_8)))));
        // the data endpoints read the stores: on a lane of their own (a store read can wait for a whole outage)
        // DELETE forgets a key: only with a token (an open endpoint deletes nothing)
        forgets = authToken == null ? null : new ForgetSender(producer);
        server.createContext("/sensors/", dataLane.on(allow(SENSOR_METHODS, auth.require(new SensorHandler(topologies,
                advertised, peers, forgets)))));
        server.createContext(FleetHandler.PATH, dataLane.on(get(auth.require(new FleetHandler(topologies, advertised,
                peers, feed)))));
        server.createContext(DashboardApi.PREFIX, dataLane.on(get(auth.require(new DashboardApi(topologies, feed,
                forgets != null)))));
        DashboardFiles files = new DashboardFiles();
        server.createContext(DashboardFiles.PREFIX, get(files::sendFile));
        server.createContext("/", get(exchange -> {
            if (!files.sendIndex(exchange)) {
                sendJson(exchange, 404, error("no such resource; try / (the dashboard), /health, /ready, /metrics,"
                        + " /sensors/{key}, /sensors/{key}/history, /api/fleet"));
            }
        }));
        if (!serving) {
            server.start();
            serving = true;
        }
        LOG.info("HTTP endpoint on {} (advertised as {}): dashboard at / and /health /ready /metrics"
                + " /sensors/<key>[/history] /api/...{}", server.getAddress(), advertised, authToken == null ? ""
                : "; /metrics /sensors /api need the bearer token (http.auth.token)");
    }

    /** Stops serving (in-flight requests get a second to finish). */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        dataLane.close();
        synchronized (this) {
            if (forgets != null) {
                forgets.close();
            }
        }
    }

    /** GET (and HEAD) only; anything thrown becomes a 500 with the message, logged. */
    private static HttpHandler get(HttpHandler handler) {
        return allow(List.of("GET", "HEAD"), handler);
    }

    /** {@code methods} only (else 405 with {@code Allow}); anything thrown becomes a 500 with the message, logged. */
    private static HttpHandler allow(List<String> methods, HttpHandler handler) {
        return exchange -> {
            try (exchange) {
                String method = exchange.getRequestMethod();
                if (!methods.contains(method)) {
                    exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
                    sendJson(exchange, 405, error("method " + method + " not allowed"));
                    return;
                }
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                LOG.warn("HTTP {} failed", exchange.getRequestURI(), e);
                try {
                    sendJson(exchange, 500, error(e.toString()));
                } catch (IOException | RuntimeException ignored) {
                    // the response had already started
                }
            }
        };
    }

    static JsonNode error(String message) {
        return VigilJson.MAPPER.createObjectNode().put("error", message);
    }

    static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, JSON, VigilJson.MAPPER.writeValueAsBytes(body));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
