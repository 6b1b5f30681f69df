package dev.vigil.stream;

import dev.vigil.VigilException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the RocksDB stores of a Streams application's state directory before the application starts, and deletes
 * the directory of every task with a damaged store, so that Kafka Streams restores that task from its changelogs
 * instead of failing to open it. Kafka Streams (4.4) opens every task's stores in {@code KafkaStreams#start()} and
 * throws {@code ProcessorStateException} for a damaged one (truncated or overwritten table files, a garbage or missing
 * CURRENT or MANIFEST), on every start, until someone deletes it. So each store directory ({@code
 * <stateDir>/<applicationId>/<task>/rocksdb/<store>}) must have a {@code CURRENT} file (without it RocksDB may create
 * a new, empty database where the task's checkpoint promises restored state), open read-only with all its column
 * families, and pass {@link RocksDB#verifyChecksum()} (every block of every table file read and checked, so damage
 * that the open does not see is found too); else the task's directory, checkpoint included, is deleted and logged at
 * WARN. The check reads the whole state directory once (docs/operations.md "Damaged state directory"). Not
 * thread-safe: run it before the application starts, with no other process using the directory.
 */
public final class StateDirectoryCheck {
    private static final Logger LOG = LoggerFactory.getLogger(StateDirectoryCheck.class);
    /** Task directories: {@code <subtopology>_<partition>}, with a named topology's prefix if any. */
    private static final Pattern TASK = Pattern.compile("(.+__)?\\d+_\\d+");

    /** A task directory found damaged and deleted: which store, and what RocksDB said. */
    public record DamagedTask(String task, String store, String reason) {
    }

    /** What a check found: the stores verified, their bytes, the tasks deleted, and the time taken. */
    public record Result(int stores, long bytes, List<DamagedTask> damaged, long millis) {
    }

    private StateDirectoryCheck() {
    }

    /**
     * Checks the stores of application {@code applicationId} under {@code stateDir} and deletes the directory of each
     * task with a damaged one. Nothing to do when the application has no state there yet.
     *
     * @throws VigilException when a damaged task's directory cannot be deleted
     */
    public static Result wipeDamagedTasks(Path stateDir, String applicationId) {
        long started = System.nanoTime();
        Path appDir = stateDir.resolve(applicationId);
        List<DamagedTask> damaged = new ArrayList<>();
        int stores = 0;
        long bytes = 0;
        RocksDB.loadLibrary();
        for (Path task : children(appDir)) {
            if (!TASK.matcher(task.getFileName().toString()).matches()) {
                continue;
            }
            for (Path store : children(task.resolve("rocksdb"))) {
                stores++;
                bytes += size(store);
                String reason = damage(store);
                if (reason != null) {
                    DamagedTask d = new DamagedTask(task.getFileName().toString(), store.getFileName().toString(),
                            reason);
                    LOG.warn("state of task {} of {} is damaged (store {}: {}); deleting {}: Kafka Streams restores"
                            + " the task from its changelogs", d.task(), applicationId, d.store(), reason, task);
                    deleteTree(task);
                    damaged.add(d);
                    break;
                }
            }
        }
        Result result = new Result(stores, bytes, List.copyOf(damaged), (System.nanoTime() - started) / 1_000_000);
        if (stores > 0) {
            LOG.info("state of {} checked: {} store(s), {} bytes, in {} ms; {} damaged task(s) deleted",
                    applicationId, stores, bytes, result.millis(), damaged.size());
        }
        return result;
    }

    /** Why the store in {@code dir} cannot be used as it is, or null when it opens and its checksums hold. */
    static String damage(Path dir) {
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            return "no CURRENT file";
        }
        String path = dir.toString();
        List<byte[]> families;
        try (Options options = new Options().setParanoidChecks(true)) {
            families = RocksDB.listColumnFamilies(options, path);
        } catch (RocksDBException e) {
            return e.getMessage();
        }
        if (families.stream().noneMatch(f -> Arrays.equals(f, RocksDB.DEFAULT_COLUMN_FAMILY))) {
            return "its MANIFEST lists no default column family (" + families.size() + " listed)";
        }
        List<ColumnFamilyDescriptor> descriptors = families.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setParanoidChecks(true);
             RocksDB db = RocksDB.openReadOnly(options, path, descriptors, handles)) {
            try {
                db.verifyChecksum();
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
            return null;
        } catch (RocksDBException e) {
            return e.getMessage();
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new VigilException("cannot list state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new VigilException("cannot delete the damaged task directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
