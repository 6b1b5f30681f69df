package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.config.AppConfig;
import dev.vigil.config.AppConfigLoader;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker-compose.yml} and the {@code Dockerfile} agree with the repository (no Docker needed): services and
 * images, mounted and copied paths exist, the published HTTP port is the one Vigil listens on, and the topics
 * created are the topology's.
 */
class DeploymentFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String IMAGE_HOME = "/opt/vigil";

    private static JsonNode services;
    private static List<String> dockerfile;

    @BeforeAll
    static void read() throws IOException {
        services = YAML.readTree(Path.of("docker-compose.yml").toFile()).get("services");
        dockerfile = instructions(Files.readAllLines(Path.of("Dockerfile")));
    }

    @Test
    void shouldDefineTheServicesWithNamedImages() {
        for (String name : List.of("kafka", "topics", "vigil", "producer", "alerts", "prometheus", "grafana")) {
            JsonNode s = services.get(name);
            assertNotNull(s, "service " + name);
            assertFalse(s.path("image").asText().isBlank(), "service " + name + " names its image");
        }
        assertTrue(services.get("kafka").get("image").asText().startsWith("apache/kafka:"));
        assertEquals(services.get("kafka").get("image"), services.get("topics").get("image"));
        assertEquals(".", services.get("vigil").get("build").asText(), "vigil is built from the Dockerfile");
        assertEquals(services.get("vigil").get("image"), services.get("producer").get("image"));
    }

    @Test
    void shouldMountConfigAndTopologiesFromExistingPaths() {
        Map<String, Path> mounts = mounts(services.get("vigil"));
        assertEquals(Path.of("config"), mounts.get(IMAGE_HOME + "/config"));
        assertEquals(Path.of("topologies"), mounts.get(IMAGE_HOME + "/topologies"));
        mounts.values().forEach(p -> assertTrue(Files.isDirectory(p), p + " exists"));
        // the files the image's default command reads are there on the host
        List<String> cmd = jsonArray("CMD");
        assertTrue(Files.isRegularFile(hostPath(mounts, argument(cmd, "--config"))));
        assertTrue(Files.isRegularFile(hostPath(mounts, argument(cmd, "--topology"))));
    }

    @Test
    void shouldPublishTheHttpPortVigilListensOn() {
        AppConfig vigil = vigilConfig();
        assertTrue(vigil.http().enabled());
        assertEquals("0.0.0.0", vigil.http().host(), "reachable through the published port");
        JsonNode ports = services.get("vigil").get("ports");
        assertEquals(1, ports.size());
        String[] mapping = ports.get(0).asText().split(":");
        assertEquals(vigil.http().port(), Integer.parseInt(mapping[mapping.length - 1]));
        assertEquals("EXPOSE " + vigil.http().port(), only("EXPOSE"));
        assertTrue(only("HEALTHCHECK").contains("/health"));
    }

    @Test
    void shouldCreateExactlyTheTopologysTopics() {
        TopologyConfig t = TopologyConfigLoader.load(Path.of("topologies", "sensors.yaml"));
        String script = services.get("topics").get("command").get(0).asText();
        Set<String> created = new TreeSet<>();
        Matcher m = Pattern.compile("--topic (\\S+)").matcher(script);
        while (m.find()) {
            created.add(m.group(1));
        }
        assertEquals(new TreeSet<>(List.of(t.inputTopic(), t.scoresTopic(), t.alertsTopic(), t.dlqTopic(), t.modelsTopic())),
                created);
        assertTrue(script.contains("--topic " + t.modelsTopic() + " --config cleanup.policy=compact"), script);
        assertTrue(script.contains("--partitions " + vigilConfig().partitions() + " "), "as topics.partitions");
        List<String> producer = strings(services.get("producer").get("command"));
        assertEquals(t.inputTopic(), argument(producer, "--topic"));
        Path csv = hostPath(mounts(services.get("producer")), argument(producer, "--file"));
        assertTrue(Files.isRegularFile(csv), csv + " exists");
        assertEquals(t.alertsTopic(), argument(strings(services.get("alerts").get("command")), "--topic"));
    }

    @Test
    void shouldScrapeVigilWithPrometheusAndProvisionGrafanaFromExistingFiles() throws IOException {
        Map<String, Path> prometheus = mounts(services.get("prometheus"));
        Path config = prometheus.get("/etc/prometheus/prometheus.yml");
        assertTrue(Files.isRegularFile(config), config + " exists");
        JsonNode job = YAML.readTree(config.toFile()).get("scrape_configs").get(0);
        assertEquals("/metrics", job.get("metrics_path").asText());
        assertEquals("vigil:" + vigilConfig().http().port(),
                job.get("static_configs").get(0).get("targets").get(0).asText());
        assertTrue(services.get("prometheus").get("image").asText().startsWith("prom/prometheus:"));
        Map<String, Path> grafana = mounts(services.get("grafana"));
        assertTrue(services.get("grafana").get("image").asText().startsWith("grafana/grafana:"));
        Path provisioning = grafana.get("/etc/grafana/provisioning");
        Path dashboards = grafana.get("/var/lib/grafana/dashboards");
        JsonNode provider = YAML.readTree(provisioning.resolve("dashboards/vigil.yml").toFile())
                .get("providers").get(0);
        assertEquals("/var/lib/grafana/dashboards", provider.get("options").get("path").asText());
        assertTrue(Files.isRegularFile(dashboards.resolve("vigil.json")), "the dashboard GrafanaDashboardTest checks");
        JsonNode datasource = YAML.readTree(provisioning.resolve("datasources/prometheus.yml").toFile())
                .get("datasources").get(0);
        assertEquals("http://prometheus:9090", datasource.get("url").asText());
    }

    @Test
    void shouldPointVigilAndTheProducerAtTheComposeBroker() {
        String listeners = services.get("kafka").get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText();
        for (String name : List.of("vigil", "producer")) {
            String bootstrap = services.get(name).get("environment").get("VIGIL_BOOTSTRAP_SERVERS").asText();
            assertTrue(listeners.contains("PLAINTEXT://" + bootstrap), name + ": " + bootstrap + " in " + listeners);
        }
    }

    @Test
    void shouldCopyOnlyExistingPathsAndRunTheBuiltJarAsANonRootUser() throws IOException {
        List<String> from = dockerfile.stream().filter(i -> i.startsWith("FROM ")).toList();
        // built on JDK 17 (the oldest the jar supports), run on JDK 25 (16-bit weights in the step)
        assertEquals(List.of("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:25-jre"), from);
        int copies = 0;
        for (String copy : dockerfile.stream().filter(i -> i.startsWith("COPY ")).toList()) {
            String[] args = copy.substring("COPY ".length()).trim().split("\\s+");
            if (args[0].startsWith("--from=")) {
                assertEquals("--from=build /src/target/vigil.jar " + IMAGE_HOME + "/vigil.jar", String.join(" ", args));
                continue;
            }
            for (int i = 0; i < args.length - 1; i++) {
                assertTrue(Files.exists(Path.of(args[i])), copy + ": " + args[i] + " exists");
                copies++;
            }
        }
        assertTrue(copies >= 5, "pom, sources, config, topologies, examples");
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<finalName>vigil</finalName>"), "the jar the build makes");
        List<String> entrypoint = jsonArray("ENTRYPOINT");
        assertEquals(List.of("-jar", IMAGE_HOME + "/vigil.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertEquals("java", entrypoint.get(0));
        String user = only("USER");
        assertNotEquals("USER root", user);
        assertNotEquals("USER 0", user);
    }

    /** Settings the vigil container runs with: the mounted file, then the image's ENV, then compose's environment. */
    private static AppConfig vigilConfig() {
        Map<String, String> env = new HashMap<>();
        for (String e : dockerfile.stream().filter(i -> i.startsWith("ENV ")).toList()) {
            for (String pair : e.substring("ENV ".length()).trim().split("\\s+")) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0], kv[1]);
            }
        }
        services.get("vigil").get("environment").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        Path config = hostPath(mounts(services.get("vigil")), argument(jsonArray("CMD"), "--config"));
        return AppConfigLoader.load(config, env);
    }

    /** Container path → host path of a service's bind mounts ("./host:/container[:ro]"). */
    private static Map<String, Path> mounts(JsonNode service) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts[0].startsWith("./")) {
                out.put(parts[1], Path.of(parts[0].substring(2)));
            }
        }
        return out;
    }

    /** The host path of a container path under one of the mounts. */
    private static Path hostPath(Map<String, Path> mounts, String containerPath) {
        for (Map.Entry<String, Path> m : mounts.entrySet()) {
            if (containerPath.startsWith(m.getKey() + "/")) {
                return m.getValue().resolve(containerPath.substring(m.getKey().length() + 1));
            }
        }
        throw new AssertionError(containerPath + " is not under a mounted directory " + mounts.keySet());
    }

    private static String argument(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " in " + args);
        return args.get(i + 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The one instruction starting with {@code keyword}. */
    private static String only(String keyword) {
        List<String> found = dockerfile.stream().filter(i -> i.startsWith(keyword + " ")).toList();
        assertEquals(1, found.size(), keyword + ": " + found);
        return found.get(0);
    }

    /** The JSON-array argument of the one {@code keyword} instruction (exec form). */
    private static List<String> jsonArray(String keyword) {
        try {
            return strings(new ObjectMapper().readTree(only(keyword).substring(keyword.length() + 1)));
        } catch (IOException e) {
            throw new AssertionError(keyword + " is not in exec (JSON array) form", e);
        }
    }

    /** Dockerfile instructions: comments and blank lines dropped, continuation lines joined. */
    private static List<String> instructions(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = t.endsWith("\\");
            current.append(continues ? t.substring(0, t.length() - 1) : t).append(' ');
            if (!continues) {
                out.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return out;
    }
}
