package dev.vigil.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A command line that does not parse: the error in one line, where to read the usage, exit code 2. */
class ParameterErrorHandlerTest {

    /** stderr's lines after running {@code vigil args}; fails unless the exit code is 2 and stdout is empty. */
    private static List<String> errorLines(String... args) {
        CommandRun run = CommandRun.of(args);
        assertEquals(2, run.code(), run.err());
        assertEquals("", run.out());
        return run.err().lines().toList();
    }

    @Test
    void shouldNameAMisspeltOptionAndSuggestTheClosestInsteadOfTheMissingRequiredOne() {
        assertEquals(List.of("error: unknown option '--topolgy'; did you mean '--topology'?",
                "Try 'vigil run --help' for usage."), errorLines("run", "--topolgy", "topologies/sensors.yaml"));
    }

    @Test
    void shouldNameTheOptionWrittenWithItsValue() {
        assertEquals("error: unknown option '--topolgy'; did you mean '--topology'?",
                errorLines("run", "--topolgy=topologies/sensors.yaml").get(0));
    }

    @Test
    void shouldTakeAnAbbreviationForTheOptionItStarts() {
        assertEquals(List.of("error: unknown option '--dat'; did you mean '--data'?",
                "Try 'vigil evaluate --help' for usage."), errorLines("evaluate", "--dat", "d", "--out", "o"));
    }

    @Test
    void shouldSuggestNothingWhenNoOptionIsClose() {
        assertEquals("error: unknown option '-x'", errorLines("run", "-x").get(0));
        assertEquals("error: unknown option '--bootstrap-server'",
                errorLines("run", "--topology", "t.yaml", "--bootstrap-server", "h:9092").get(0));
    }

    @Test
    void shouldSuggestTheClosestCommand() {
        assertEquals(List.of("error: unknown command 'rnu'; did you mean 'run'?", "Try 'vigil --help' for usage."),
                errorLines("rnu"));
        assertEquals("error: unknown command 'frobnicate'", errorLines("frobnicate").get(0));
    }

    @Test
    void shouldReportOtherParseErrorsInTheSameTwoLines() {
        assertEquals(List.of("error: invalid value for option '--threads': 'abc' is not an int",
                "Try 'vigil evaluate --help' for usage."),
                errorLines("evaluate", "--data", "d", "--out", "o", "--threads", "abc"));
        assertEquals(List.of("error: missing required option: '--topology=FILE'", "Try 'vigil run --help' for usage."),
                errorLines("run"));
        assertEquals("error: unexpected argument 'extra'",
                errorLines("evaluate", "--data", "d", "--out", "o", "extra").get(0));
    }

    /**
     * Every long option of every command, with two neighbouring letters swapped, gets itself suggested. Picocli's
     * own {@code help} command is left out: it takes command names, not options.
     */
    @Test
    void shouldSuggestEveryLongOptionOfEveryCommandFromATypo() {
        List<String> wrong = new ArrayList<>();
        List<CommandLine> commands = new ArrayList<>(List.of(new CommandLine(new Main())));
        for (int c = 0; c < commands.size(); c++) {
            CommandLine command = commands.get(c);
            commands.addAll(command.getSubcommands().values());
            if (command.getCommand() instanceof CommandLine.HelpCommand) {
                continue;
            }
            List<String> path = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName().split(" ")));
            path.remove(0);
            for (OptionSpec option : command.getCommandSpec().options()) {
                for (String name : option.names()) {
                    if (!name.startsWith("--") || option.hidden()) {
                        continue;
                    }
                    String typo = swapFirstDifferingNeighbours(name);
                    List<String> args = new ArrayList<>(path);
                    args.add(typo);
                    args.add("x");
                    String expected = "error: unknown option '" + typo + "'; did you mean '" + name + "'?";
                    String got = errorLines(args.toArray(String[]::new)).get(0);
                    if (!got.equals(expected)) {
                        wrong.add(String.join(" ", args) + " -> " + got);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static String swapFirstDifferingNeighbours(String name) {
        char[] c = name.toCharArray();
        for (int i = 2; i + 1 < c.length; i++) {
            if (c[i] != c[i + 1]) {
                char t = c[i];
                c[i] = c[i + 1];
                c[i + 1] = t;
                return new String(c);
            }
        }
        throw new IllegalArgumentException("no two different neighbouring letters in " + name);
    }
}
