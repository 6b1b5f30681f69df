package dev.vigil.app;

import picocli.CommandLine;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Entry point of {@code vigil.jar}. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
        description = "Streaming LSTM anomaly detection for Kafka.",
        subcommands = {RunCommand.class, DemoCommand.class, EvaluateCommand.class, TrainCommand.class,
                PublishModelCommand.class, ForgetCommand.class, MigrateModelsCommand.class, ReplayCommand.class,
                SynthCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command line with the given output streams and returns the exit code (tests call this): 2, with
     * one {@code error: } line, for a command line that does not parse or a command that fails.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(new ParameterErrorHandler());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
