package dev.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import dev.vigil.VigilException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's files, served from the jar: {@code /} is its page, {@code /dashboard/<file>} its script and style
 * and uPlot's (from the uPlot WebJar, whose version the build writes into {@code dashboard/webjars.properties}).
 * Nothing is fetched from elsewhere, so the page works offline. Only the listed files are served; every file is read
 * once, at construction. Immutable; thread-safe.
 */
final class DashboardFiles {
    static final String PREFIX = "/dashboard/";

    private record File(String contentType, byte[] bytes) {
    }

    private final File index;
    private final Map<String, File> files;

    DashboardFiles() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        index = read("dashboard/index.html", "text/html; charset=utf-8");
        files = Map.of(
                "app.js", read("dashboard/app.js", "text/javascript; charset=utf-8"),
                "chart.js", read("dashboard/chart.js", "text/javascript; charset=utf-8"),
                "app.css", read("dashboard/app.css", "text/css; charset=utf-8"),
                "uPlot.iife.min.js", read(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "uPlot.min.css", read(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = resource("dashboard/webjars.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("uplot.version");
    }

    private static InputStream resource(String name) {
        InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new VigilException("the dashboard's " + name + " is missing from the jar");
        }
        return in;
    }

    private static File read(String name, String contentType) {
        try (InputStream in = resource(name)) {
            return new File(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the page for {@code /}; returns false (nothing sent) for any other path. */
    boolean sendIndex(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getRawPath().equals("/")) {
            return false;
        }
        send(exchange, index);
        return true;
    }

    /** Sends {@code /dashboard/<file>}, or a 404. */
    void sendFile(HttpExchange exchange) throws IOException {
        File f = files.get(exchange.getRequestURI().getRawPath().substring(PREFIX.length()));
        if (f == null) {
            SensorAnswer.error(404, "no such dashboard file").send(exchange);
            return;
        }
        send(exchange, f);
    }

    private static void send(HttpExchange exchange, File f) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        HttpEndpoint.send(exchange, 200, f.contentType(), f.bytes());
    }
}
