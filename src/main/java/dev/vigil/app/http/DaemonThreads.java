package dev.vigil.app.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... for the HTTP endpoint's pools. Stateless. */
final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads numbered from 1 after {@code prefix} and a dash. */
    static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
