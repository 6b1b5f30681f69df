package dev.vigil.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real RocksDB stores in a temporary state directory, damaged on disk (CorruptStateIT does it under the service). */
class StateDirectoryCheckTest {
    private static final String APP = "vigil-sensors";

    @TempDir
    Path stateDir;

    @Test
    void shouldDeleteOnlyTheTasksWithADamagedStore() throws Exception {
        Path app = stateDir.resolve(APP);
        for (String task : List.of("0_0", "0_1", "0_2", "0_3")) {
            for (String store : List.of("state", "history")) {
                write(app.resolve(task).resolve("rocksdb").resolve(store));
            }
            Files.writeString(app.resolve(task).resolve(".checkpoint"), "0\n");
        }
        Path notATask = app.resolve("kafka-streams-process-metadata-dir");
        Files.createDirectories(notATask.resolve("rocksdb/x"));
        // 0_1: a table file's middle overwritten (its length kept); 0_2: CURRENT deleted; 0_3: CURRENT garbage
        Path sst = tableFile(app.resolve("0_1/rocksdb/history"));
        byte[] bytes = Files.readAllBytes(sst);
        for (int i = bytes.length / 4; i < bytes.length / 2; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(sst, bytes);
        Files.delete(app.resolve("0_2/rocksdb/state/CURRENT"));
        Files.writeString(app.resolve("0_3/rocksdb/state/CURRENT"), "MANIFEST-999999\n");

        StateDirectoryCheck.Result result = StateDirectoryCheck.wipeDamagedTasks(stateDir, APP);

        assertEquals(List.of("0_1", "0_2", "0_3"), result.damaged().stream().map(StateDirectoryCheck.DamagedTask::task)
                .toList(), result.toString());
        assertEquals("no CURRENT file", result.damaged().get(1).reason());
        assertTrue(Files.exists(app.resolve("0_0/.checkpoint")), "an intact task is kept");
        assertNull(StateDirectoryCheck.damage(app.resolve("0_0/rocksdb/state")));
        for (String task : List.of("0_1", "0_2", "0_3")) {
            assertFalse(Files.exists(app.resolve(task)), task + " deleted, checkpoint and all");
        }
        assertTrue(Files.exists(notATask), "directories that are not tasks are left alone");
        assertEquals(List.of(), StateDirectoryCheck.wipeDamagedTasks(stateDir, APP).damaged(), "a second check");
        assertEquals(0, StateDirectoryCheck.wipeDamagedTasks(stateDir, "no-such-app").stores());
    }

    /** A store of 2,000 entries, flushed to a table file. */
    private static void write(Path dir) throws Exception {
        Files.createDirectories(dir);
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, dir.toString());
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (int i = 0; i < 2_000; i++) {
                db.put(("key-" + i).getBytes(StandardCharsets.UTF_8), ("value of key " + i).getBytes(StandardCharsets.UTF_8));
            }
            db.flush(flush);
        }
    }

    private static Path tableFile(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
    }
}
