package dev.vigil.app;

import dev.vigil.config.AppConfig;
import dev.vigil.config.AppConfigLoader;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil run}: the service against a real cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the detector service for the given topologies against the cluster in the config file."
                + " Stops cleanly on SIGTERM/Ctrl-C (state flushed, last transaction committed).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Application settings (config/vigil.properties);"
            + " VIGIL_* environment variables override them. Optional when VIGIL_BOOTSTRAP_SERVERS is set.")
    Path config;

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file (repeatable).")
    List<Path> topologies;

    @Option(names = "--wait-for-cluster", defaultValue = "PT87600H", paramLabel = "DURATION",
            description = "How long to keep retrying an unreachable cluster (ISO-8601, e.g. PT5M). Default: ten years.")
    Duration waitForCluster;

    @Override
    public Integer call() throws InterruptedException {
        AppConfig app = AppConfigLoader.load(config, System.getenv());
        LOG.info("configuration: {}", app.describe());
        List<TopologyConfig> loaded = topologies.stream().map(TopologyConfigLoader::load).toList();
        long names = loaded.stream().map(TopologyConfig::name).distinct().count();
        if (names != loaded.size()) {
            throw new dev.vigil.BadConfigException("topology names must differ, got "
                    + loaded.stream().map(TopologyConfig::name).toList());
        }
        VigilService service = VigilService.start(app, loaded, waitForCluster);
        Thread hook = new Thread(service::close, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.awaitStop();
        return service.applications().stream().anyMatch(s -> s.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR)
                ? 1 : 0;
    }
}
