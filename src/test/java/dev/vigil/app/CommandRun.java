package dev.vigil.app;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code vigil} command run in this JVM through {@link Main#run}: its exit code and what it printed. */
record CommandRun(int code, String out, String err) {

    /** Runs {@code vigil args} and keeps stdout and stderr. */
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    /** stdout's lines. */
    String[] lines() {
        return out.strip().split("\\R");
    }

    /** stdout's last line. */
    String last() {
        String[] l = lines();
        return l[l.length - 1];
    }
}
