package dev.vigil.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * CPU time used by this JVM and by one Kafka Streams application's stream threads, so that a benchmark can say
 * whether it was bound by the machine's cores or by the stream thread (the JVM includes the embedded broker, when
 * there is one). The stream threads are found by name ({@code <application.id>-<uuid>-StreamThread-<n>}) at the
 * first {@link #sample} after they started; threads that end are no longer counted. Not thread-safe.
 */
final class CpuMeter {
    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");

    private final String applicationId;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(
            com.sun.management.OperatingSystemMXBean.class);
    private long[] streamThreadIds;

    /** CPU time used so far, at {@code nanos} ({@link System#nanoTime()}). */
    record Sample(long nanos, long processCpuNanos, long streamThreadCpuNanos) {
    }

    /**
     * CPU use between two samples; {@link #NONE} when it could not be measured: the platform does not report the
     * JVM's CPU time, or the samples are less than {@link #MIN_WINDOW_NANOS} apart (too short a time to say anything).
     */
    record Use(double processCores, double streamThreadCores, double streamThreadMicrosPerEvent) {
        static final Use NONE = new Use(Double.NaN, Double.NaN, Double.NaN);
        static final long MIN_WINDOW_NANOS = 200_000_000L;

        /** Whether this was measured (not {@link #NONE}). */
        boolean measured() {
            return !Double.isNaN(processCores);
        }

        /** Between {@code from} and {@code to}, over which {@code events} were processed. */
        static Use between(Sample from, Sample to, long events) {
            double wall = to.nanos() - from.nanos();
            if (from.processCpuNanos() < 0 || to.processCpuNanos() < 0 || wall < MIN_WINDOW_NANOS || events <= 0) {
                return NONE;
            }
            double thread = to.streamThreadCpuNanos() - from.streamThreadCpuNanos();
            return new Use((to.processCpuNanos() - from.processCpuNanos()) / wall, thread / wall, thread / events / 1000);
        }
    }

    CpuMeter(String applicationId) {
        this.applicationId = applicationId;
    }

    /** Cores this JVM may use. */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The CPU time used so far by the JVM (-1 when the platform does not tell) and by the stream threads. */
    Sample sample() {
        long now = System.nanoTime();
        if (streamThreadIds == null) {
            streamThreadIds = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(applicationId + "-") && STREAM_THREAD.matcher(t.getName()).matches())
                    .mapToLong(Thread::getId).toArray();
        }
        long streamThreads = Arrays.stream(streamThreadIds).map(threads::getThreadCpuTime).filter(t -> t > 0).sum();
        return new Sample(now, os.getProcessCpuTime(), streamThreads);
    }
}
