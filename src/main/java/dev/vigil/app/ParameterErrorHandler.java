package dev.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reports a command line picocli could not parse in two lines, the error and where to read the usage, and
 * returns exit code 2. An unknown option or command is named, with the closest known one when one is close:
 * {@code error: unknown option '--topolgy'; did you mean '--topology'?}. Picocli alone reports a required
 * option missing first, which hides the misspelling that caused it, and follows with the whole usage text.
 */
final class ParameterErrorHandler implements CommandLine.IParameterExceptionHandler {
    /** Edits (insert, delete, replace, swap two neighbours) within which a known name is suggested, at most. */
    private static final int MAX_EDITS = 3;
    /** A typed name this long that starts a known name is taken for an abbreviation of it. */
    private static final int MIN_PREFIX = 3;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        CommandSpec spec = command.getCommandSpec();
        PrintWriter err = command.getErr();
        err.println("error: " + describe(ex, command));
        err.println("Try '" + spec.qualifiedName() + " --help' for usage.");
        err.flush();
        return spec.exitCodeOnInvalidInput();
    }

    private static String describe(ParameterException ex, CommandLine command) {
        List<String> unmatched = command.getUnmatchedArguments();
        if (unmatched.isEmpty()) {
            return sentence(ex.getMessage());
        }
        CommandSpec spec = command.getCommandSpec();
        Optional<String> option = unmatched.stream().filter(a -> a.startsWith("-") && a.length() > 1).findFirst();
        if (option.isPresent()) {
            String typed = option.get().split("=", 2)[0];
            return "unknown option '" + typed + "'" + suggestion(typed, visibleOptionNames(spec));
        }
        String first = unmatched.get(0);
        if (!spec.subcommands().isEmpty()) {
            return "unknown command '" + first + "'" + suggestion(first, spec.subcommands().keySet());
        }
        return "unexpected argument '" + first + "'";
    }

    private static List<String> visibleOptionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()));
            }
        }
        return names;
    }

    /** {@code "; did you mean 'X'?"} for the known name closest to {@code typed}, or "" when none is close. */
    private static String suggestion(String typed, Collection<String> known) {
        String bare = stripDashes(typed);
        String best = null;
        int bestEdits = Integer.MAX_VALUE;
        for (String name : known) {
            String candidate = stripDashes(name);
            int edits = bare.length() >= MIN_PREFIX && candidate.startsWith(bare) ? 1 : editDistance(bare, candidate);
            int allowed = Math.min(MAX_EDITS, Math.max(1, candidate.length() / 3));
            if (edits <= allowed && edits < candidate.length() && edits < bestEdits) {
                best = name;
                bestEdits = edits;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static String stripDashes(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i);
    }

    /** Optimal string alignment distance: insertions, deletions, replacements and swaps of two neighbours. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int replace = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + replace);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Picocli's messages start with a capital ("Missing required option ..."); ours after "error: " do not. */
    private static String sentence(String message) {
        if (message.length() > 1 && Character.isUpperCase(message.charAt(0))
                && Character.isLowerCase(message.charAt(1))) {
            return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
        }
        return message;
    }
}
