package dev.vigil.app;

import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil migrate-models}: copy an earlier deployment's models to a models topic partitioned like the input. */
@Command(name = "migrate-models", mixinStandardHelpOptions = true,
        description = "Copy a topology's models from an earlier deployment's models topic to one partitioned like the"
                + " input, each key's model to the partition of its detector state (run with the service stopped).")
final class MigrateModelsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topology", paramLabel = "FILE", required = true,
            description = "Topology file: its input topic, name and models topic (the default target).")
    Path topology;

    @Option(names = "--from", paramLabel = "TOPIC", required = true, description = "The earlier models topic.")
    String from;

    @Option(names = "--to", paramLabel = "TOPIC", description = "Target models topic, created like the input when"
            + " missing. Default: the topology's modelsTopic.")
    String to;

    @Override
    public Integer call() throws Exception {
        AppConfig app = kafka.appConfig();
        TopologyConfig t = TopologyConfigLoader.load(topology);
        String target = to != null ? to : t.modelsTopic();
        ModelMigration.Result r = new ModelMigration(app, t).run(from, target);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("migrated %d model(s) from %s to %s: %d placed by their key's detector state, %d by the Java"
                        + " partitioner (no state found), %d already in place; %d record(s) written, %d undecodable"
                        + " payload(s) skipped%n", r.read(), from, target, r.byState(), r.byJavaHash(), r.inPlace(),
                r.written(), r.undecodable());
        o.flush();
        return 0;
    }
}
