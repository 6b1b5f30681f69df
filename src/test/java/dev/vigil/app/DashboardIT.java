package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.app.demo.DemoFleet;
import dev.vigil.app.demo.SyntheticSensor;
import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (headless Chromium through Selenium and chromium-driver) against a running service
 * on the embedded broker, fed the demo's single-value sensors: the fleet view lists the keys, filters them (ignoring
 * case) and sorts them by key both ways; the sensor view of pump-1, opened before any model exists, draws a point per
 * stored reading and then, without a reload, follows the key as more readings arrive, shows the alert the injected
 * level shift opens as a span and the first model version as a mark; the alerts view lists that alert and links to
 * the sensor view at its time; a sensor forgotten from its view (after a confirmation the user can decline) leaves
 * the fleet and {@code /sensors}; the page's console shows no error. The service requires a bearer token
 * ({@code http.auth.token}): the page asks for it once, at its first 401, and sends it from then on. Screenshots go
 * to {@code target/dashboard/}.
 * Skipped, with the reason, where Chromium or its driver is not installed.
 */
class DashboardIT {
    /** Before the first training (retrain.minTrainPoints is 300 by default): no model yet. */
    private static final int FIRST = 250;
    /** Past pump-1's level shift (events 700..900) and the first training of every key. */
    private static final int ALL = 1000;
    /** The history window's size (retrain.historySize by default): every point is still charted. */
    private static final int MAX = 2000;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path SHOTS = Path.of("target", "dashboard");
    private static final String TOKEN = "dashboard-it-token-0123456789";

    @TempDir
    Path tmp;

    @Test
    void shouldShowTheFleetASensorsChartFollowingLiveAndTheAlerts() throws Exception {
        WebDriver browser = HeadlessChromium.startOrSkip();
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig topology = new TopologyConfig("sensors", "dash-events", null, List.of(), "ts", 0, 65_536,
                "dash-scores", "dash-alerts", "dash-dlq", "dash-models", Map.of());
        AppConfig app = new AppConfig(broker.bootstrapServers(), "dash-it", tmp, true, 2, 1,
                Map.of("commit.interval.ms", "100"), new HttpConfig(true, "127.0.0.1", 0, null, TOKEN));
        List<SyntheticSensor> sensors = DemoFleet.sensors(7);
        Files.createDirectories(SHOTS);
        try (VigilService service = VigilService.start(app, List.of(topology), ServiceScenario.LIMIT);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(app))) {
            assertTrue(service.awaitRunning(ServiceScenario.LIMIT), "service should reach RUNNING");
            String base = "http://127.0.0.1:" + service.http().port() + "/";
            produce(producer, topology, sensors, 0, FIRST);
            WebDriverWait wait = new WebDriverWait(browser, WAIT);

            browser.get(base);
            // the service requires a token: the dashboard asks for it once, then sends it with every request
            Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
            assertTrue(prompt.getText().contains("http.auth.token"), prompt.getText());
            prompt.sendKeys(TOKEN);
            prompt.accept();
            wait.until(d -> read(d, "#fleet tbody tr", "text").size() == sensors.size()
                    && read(d, "#fleet tbody tr", "text").stream().allMatch(r -> r.contains(String.valueOf(FIRST))));
            List<String> refused = HeadlessChromium.errors(browser);
            assertTrue(refused.stream().allMatch(e -> e.contains("401")), "only requests before the token fail: "
                    + refused);
            List<String> listed = read(browser, "#fleet tbody tr", "data-key");
            assertEquals(sensors.stream().map(SyntheticSensor::key).sorted().toList(),
                    listed.stream().sorted().toList());
            screenshot(browser, "fleet.png");
            browser.findElement(By.id("filter")).sendKeys("FLOW");
            wait.until(d -> read(d, "#fleet tbody tr", "data-key").equals(List.of("flow-1", "flow-2"))
                    || read(d, "#fleet tbody tr", "data-key").equals(List.of("flow-2", "flow-1")));
            click(browser, By.cssSelector("#fleet th[data-sort='key']"));
            wait.until(d -> read(d, "#fleet tbody tr", "data-key").equals(List.of("flow-1", "flow-2")));
            click(browser, By.cssSelector("#fleet th[data-sort='key']"));
            wait.until(d -> read(d, "#fleet tbody tr", "data-key").equals(List.of("flow-2", "flow-1")));
            browser.findElement(By.id("filter")).clear();
            wait.until(d -> read(d, "#fleet tbody tr", "data-key").size() == sensors.size());

            click(browser, By.linkText("pump-1"));
            wait.until(d -> String.valueOf(FIRST).equals(d.findElement(By.id("charts")).getAttribute("data-points")));
            assertEquals(FIRST, script(browser, "return app.sensor.plots[0].data[0].length"), "uPlot holds each point");
            assertEquals(1, read(browser, "#charts canvas", "class").size(), "one chart: pump-1 has one channel");
            assertTrue(read(browser, "#marks li.mark", "data-version").isEmpty(), "no model yet");
            script(browser, "window.loadedOnce = true; return 0");

            produce(producer, topology, sensors, FIRST, ALL);
            // a key takes a new model at its next event: keep the sensors reading until pump-1's has arrived
            int produced = ALL;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((read(browser, "#marks li.mark", "data-version").isEmpty()
                    || read(browser, "#spans li.span", "data-from").isEmpty())
                    && produced < MAX && System.nanoTime() < deadline) {
                produce(producer, topology, sensors, produced, produced + 10);
                produced += 10;
                Thread.sleep(500);
            }
            String expected = String.valueOf(produced);
            wait.until(d -> expected.equals(d.findElement(By.id("charts")).getAttribute("data-points"))
                    && !read(d, "#marks li.mark", "data-version").isEmpty()
                    && !read(d, "#spans li.span", "data-from").isEmpty());
            assertEquals(1, script(browser, "return window.loadedOnce ? 1 : 0"), "followed live, without a reload");
            assertEquals(produced, script(browser, "return app.sensor.plots[0].data[0].length"));
            assertEquals("1", read(browser, "#marks li.mark", "data-version").get(0), "the first model version's mark");
            // the summary describes the key's own model (or names a newer one stored, due at its next swap point)
            wait.until(d -> d.findElement(By.id("sensor-summary")).getText().matches(".*model v\\d+ \\((own, \\d+"
                    + " readings, validation loss [0-9.e-]+|v\\d+ stored, next)\\).*"));
            assertEquals("model v2 (own, 2000 readings, validation loss 0.0120, timing a schedule)", text(browser,
                    "return modelText({modelVersion: 2, model: {version: 2, shared: false, readings: 2000,"
                    + " validationLoss: 0.012, calendar: 'day', dayHarmonics: 4}})"), "a model that reads the day's"
                    + " harmonics says so");
            long shiftAt = eventTime(700);
            long from = Long.parseLong(read(browser, "#spans li.span", "data-from").get(0));
            assertTrue(from >= shiftAt && from <= eventTime(700 + DemoCommand.GRACE_EVENTS),
                    "the span opens at the injected level shift: " + read(browser, "#spans li.span", "text"));
            // a rule opening its own alert during another's (an opened record with no closed one before it) ends the
            // first span where the second begins
            assertEquals("[{\"from\":1,\"to\":2,\"reason\":\"prediction-error\",\"closed\":true},"
                    + "{\"from\":2,\"to\":3,\"reason\":\"stuck-sensor\",\"closed\":true}]",
                    ((JavascriptExecutor) browser).executeScript("return JSON.stringify(SensorView.prototype"
                            + ".alertSpans.call({ts: [1, 2, 3, 4], alerts: [{ts: 1, type: 'opened', reason: "
                            + "'prediction-error'}, {ts: 2, type: 'opened', reason: 'stuck-sensor'}, {ts: 3, "
                            + "type: 'closed', reason: 'calm'}]}))"));
            // past a day of event time the key's time-of-day profile counts: the chart draws the usual reading for
            // each point's time of day, as /sensors serves it
            produce(producer, topology, sensors, produced, MAX);
            wait.until(d -> String.valueOf(MAX).equals(d.findElement(By.id("charts")).getAttribute("data-points")));
            JsonNode now = HttpProbe.json(HttpProbe.get(service.http().port(), "/sensors/pump-1?topology=sensors",
                    "Authorization", "Bearer " + TOKEN));
            assertTrue(now.get("timeOfDayWeight").asDouble() > 0, "the profile counts after a day: " + now);
            // the summary says whether the rhythm signal judges the key, as /sensors does
            String rhythm = now.get("rhythmJudged").asBoolean() ? "daily rhythm judged" : "daily rhythm not judged";
            wait.until(d -> d.findElement(By.id("sensor-summary")).getText().contains(rhythm));
            assertEquals("daily rhythm judged on temp", ((JavascriptExecutor) browser).executeScript(
                    "return rhythmText({rhythmJudged: {temp: true, visits: false}})"), "a multichannel key's");
            // and, for a key that counts, how bursty it has learnt it is (null for pump-1's readings, which do not)
            assertTrue(now.get("countDispersion").isNull(), "pump-1 does not count: " + now);
            assertFalse(browser.findElement(By.id("sensor-summary")).getText().contains("over-dispersion"));
            assertEquals("counts, over-dispersion visits 0.42", ((JavascriptExecutor) browser).executeScript(
                    "return dispersionText({countDispersion: {temp: null, visits: 0.4213}})"));
            assertEquals("counts, over-dispersion 0.00", ((JavascriptExecutor) browser).executeScript(
                    "return dispersionText({countDispersion: 0})"));
            long last = eventTime(MAX - 1);
            double expectedUsual = now.get("usualByTimeOfDay").get((int) (last % 86_400_000L / 7_200_000L)).asDouble();
            wait.until(d -> expectedUsual == ((Number) ((JavascriptExecutor) d).executeScript(
                    "const p = app.sensor.plots[0]; return p.data[5][p.data[5].length - 1]")).doubleValue());
            assertEquals(MAX, script(browser, "return app.sensor.plots[0].data[5].filter(v => v !== null).length"),
                    "a usual reading for every point");
            browser.manage().window().setSize(new Dimension(1400, 780));
            screenshot(browser, "sensor-pump-1.png");
            browser.manage().window().setSize(new Dimension(1400, 1000));

            click(browser, By.id("nav-alerts"));
            // the level shift's alert (a later injected anomaly opens another one for pump-1)
            By opened = By.cssSelector("#alerts tbody tr[data-key='pump-1'][data-type='opened'] a[href*='at=" + from
                    + "']");
            wait.until(d -> !d.findElements(opened).isEmpty());
            screenshot(browser, "alerts.png");
            click(browser, opened);
            wait.until(d -> d.getCurrentUrl().contains("#/sensor/pump-1") && d.getCurrentUrl().contains("at=" + from)
                    && !read(d, "#spans li.span", "data-from").isEmpty());
            assertNull(browser.findElement(By.id("sensor-view")).getAttribute("hidden"), "the sensor view shows");
            assertEquals(List.of(), HeadlessChromium.errors(browser), "no error in the page's console");

            // forgetting a sensor from its view (a token is set, so the service offers it): asked to confirm, nothing
            // sent when the user declines; once confirmed the key is gone from the fleet and from /sensors
            script(browser, "location.hash = '#/sensor/flow-2?topology=sensors'; return 0");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("forget")));
            click(browser, By.id("forget"));
            Alert declined = wait.until(ExpectedConditions.alertIsPresent());
            assertTrue(declined.getText().startsWith("Forget flow-2 in topology sensors?"), declined.getText());
            declined.dismiss();
            assertEquals(200, HttpProbe.get(service.http().port(), "/sensors/flow-2?topology=sensors",
                    "Authorization", "Bearer " + TOKEN).statusCode(), "declined: the key stays");
            click(browser, By.id("forget"));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(d -> d.getCurrentUrl().contains("#/fleet")
                    && read(d, "#fleet tbody tr", "data-key").size() == sensors.size() - 1);
            assertFalse(read(browser, "#fleet tbody tr", "data-key").contains("flow-2"), "flow-2 left the fleet");
            assertEquals("flow-2 forgotten in topology sensors.", browser.findElement(By.id("notice")).getText());
            assertEquals(404, HttpProbe.get(service.http().port(), "/sensors/flow-2?topology=sensors",
                    "Authorization", "Bearer " + TOKEN).statusCode(), "the key is forgotten");
            assertEquals(List.of(), HeadlessChromium.errors(browser), "no error in the page's console");
        } finally {
            browser.quit();
        }
    }

    private static void produce(KafkaProducer<String, byte[]> producer, TopologyConfig topology,
                                List<SyntheticSensor> sensors, int from, int to) {
        for (int t = from; t < to; t++) {
            long ts = eventTime(t);
            for (SyntheticSensor s : sensors) {
                producer.send(new ProducerRecord<>(topology.inputTopic(), s.key(),
                        s.json(ts, s.reading(t)).getBytes(StandardCharsets.UTF_8)));
            }
        }
        producer.flush();
    }

    /**
     * An attribute ({@code "text"}: the text) of every element {@code css} selects, read in one script: the views
     * re-render their tables and lists as they refresh, so elements found in one call may be gone in the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> read(WebDriver d, String css, String attribute) {
        return (List<String>) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll(arguments[0])]"
                        + ".map(e => arguments[1] === 'text' ? e.textContent : e.getAttribute(arguments[1]))",
                css, attribute);
    }

    /** The demo's event time of the {@code t}-th reading. */
    private static long eventTime(int t) {
        return DemoCommand.SIMULATED_START.plus(DemoCommand.SIMULATED_STEP.multipliedBy(t)).toEpochMilli();
    }

    /** A real click on the element, found again if a refresh replaced it in between. */
    private static void click(WebDriver d, By by) {
        new WebDriverWait(d, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(x -> {
            x.findElement(by).click();
            return true;
        });
    }

    private static long script(WebDriver d, String js) {
        return ((Number) ((JavascriptExecutor) d).executeScript(js)).longValue();
    }

    private static String text(WebDriver d, String js) {
        return String.valueOf(((JavascriptExecutor) d).executeScript(js));
    }

    private static void screenshot(WebDriver d, String name) throws IOException {
        Path shot = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
