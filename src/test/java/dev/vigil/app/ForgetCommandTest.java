package dev.vigil.app;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys {@code vigil forget} sends requests for, from {@code --key} and {@code --keys-file}. */
class ForgetCommandTest {
    @Test
    void shouldTakeTheOptionsThenTheFilesLinesEachOnce() {
        String file = "# site 7, decommissioned\r\npump-7\r\n\r\n  \nflow 7/a\npump-1\n#not-a-key\nvalve-2";
        assertEquals(List.of("pump-1", "pump-7", "flow 7/a", "valve-2"),
                ForgetCommand.keys(List.of("pump-1", "pump-7"), file));
        assertEquals(List.of("pump-7"), ForgetCommand.keys(null, "pump-7\n"));
        assertEquals(List.of(" pump-7"), ForgetCommand.keys(null, " pump-7"), "a key is taken as it is");
    }

    @Test
    void shouldRefuseNoKeyAnEmptyKeyAndAMissingFileWithOneLine() {
        assertEquals("give the keys to forget: --key K or --keys-file FILE",
                assertThrows(BadConfigException.class, () -> ForgetCommand.keys(null, null)).getMessage());
        assertTrue(assertThrows(BadConfigException.class, () -> ForgetCommand.keys(List.of(), "# only\n\n"))
                .getMessage().startsWith("--keys-file holds no key"));
        assertEquals("--key must not be empty",
                assertThrows(BadConfigException.class, () -> ForgetCommand.keys(List.of(""), "pump-1")).getMessage());
        CommandRun run = CommandRun.of("forget", "--bootstrap-servers", "127.0.0.1:1", "--keys-file",
                Path.of("no-such-dir", "keys.txt").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("cannot read --keys-file no-such-dir/keys.txt: no such file"), run.err());
    }
}
