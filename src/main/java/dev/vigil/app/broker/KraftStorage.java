package dev.vigil.app.broker;

import dev.vigil.VigilException;
import kafka.server.KafkaConfig;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * Formats a node's log directories for KRaft, as {@code kafka-storage.sh format --standalone} does:
 * writes {@code meta.properties} with a cluster id, and a bootstrap snapshot whose voter set is this
 * node alone (a dynamic quorum of one, found through {@code controller.quorum.bootstrap.servers}).
 */
final class KraftStorage {
    private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);

    private KraftStorage() {
    }

    /**
     * Formats the log directories of {@code config} that are not formatted yet. Directories formatted by
     * an earlier run are kept as they are, so a caller-supplied log directory restarts where it stopped.
     */
    static void format(KafkaConfig config) {
        TreeSet<String> directories = new TreeSet<>(config.logDirs());
        directories.add(config.metadataLogDir());
        MetaPropertiesEnsemble existing = load(directories, config.metadataLogDir());
        if (existing.emptyLogDirs().isEmpty() && existing.errorLogDirs().isEmpty()) {
            LOG.debug("KRaft storage in {} is already formatted", directories);
            return;
        }
        ByteArrayOutputStream toolOutput = new ByteArrayOutputStream();
        // The same steps as StorageTool.runFormatCommand for a broker+controller node with --standalone.
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(toolOutput, true, StandardCharsets.UTF_8))
                .setNodeId(config.nodeId())
                .setWriteBootstrapSnapshot(true)
                .setClusterId(existing.clusterId().orElseGet(() -> Uuid.randomUuid().toString()))
                .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled())
                .setIgnoreFormatted(true)
                .setControllerListenerName(config.controllerListenerNames().get(0))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setHasDynamicQuorum(true)
                .setInitialControllers(StorageTool.createStandaloneDynamicVoters(config));
        directories.forEach(formatter::addDirectory);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new VigilException("formatting KRaft storage in " + directories + " failed: " + e.getMessage(), e);
        }
        LOG.debug("{}", toolOutput.toString(StandardCharsets.UTF_8).strip());
    }

    private static MetaPropertiesEnsemble load(TreeSet<String> directories, String metadataLogDir) {
        try {
            return new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(directories)
                    .addMetadataLogDir(metadataLogDir)
                    .load();
        } catch (IOException e) {
            throw new VigilException("cannot read KRaft storage state in " + directories + ": " + e.getMessage(), e);
        }
    }
}
