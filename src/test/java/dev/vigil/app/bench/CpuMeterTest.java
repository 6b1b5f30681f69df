package dev.vigil.app.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuMeterTest {

    @Test
    void shouldCountTheCpuOfTheNamedApplicationsStreamThreadsOnly() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(2);
        Thread busy = new Thread(() -> {
            started.countDown();
            long x = 0;
            while (!stop.get()) {
                x += System.nanoTime() & 1;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "busy-app-0d5a-StreamThread-1");
        Thread idle = new Thread(() -> {
            started.countDown();
            while (!stop.get()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "idle-app-7c1e-StreamThread-1");
        busy.start();
        idle.start();
        try {
            started.await();
            CpuMeter busyMeter = new CpuMeter("busy-app");
            CpuMeter idleMeter = new CpuMeter("idle-app");
            // the idle window brackets the busy one (on a loaded machine a sample can take a large part of a second,
            // which must not shorten the idle window below the meter's minimum)
            CpuMeter.Sample idleFrom = idleMeter.sample();
            CpuMeter.Sample busyFrom = busyMeter.sample();
            // measure until the busy thread has run 40 ms (a loaded machine gives a spinning thread little: at load
            // 10 on 2 cores about 0.2 of a core, and less when a build runs beside it), at least 400 ms, at most 20 s
            CpuMeter.Sample busyTo = busyMeter.sample();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((busyTo.nanos() - busyFrom.nanos() < 400_000_000L
                    || busyTo.streamThreadCpuNanos() - busyFrom.streamThreadCpuNanos() < 40_000_000L)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                busyTo = busyMeter.sample();
            }
            CpuMeter.Use busyUse = CpuMeter.Use.between(busyFrom, busyTo, 1_000);
            CpuMeter.Use idleUse = CpuMeter.Use.between(idleFrom, idleMeter.sample(), 1_000);

            // the claim is relative: the busy application's stream thread counts, the idle one's barely does
            assertTrue(busyUse.streamThreadCores() > 0 && busyUse.streamThreadCores() <= 1.05, busyUse.toString());
            assertTrue(busyUse.streamThreadCores() > 10 * idleUse.streamThreadCores(), busyUse + " against " + idleUse);
            assertTrue(busyUse.processCores() >= busyUse.streamThreadCores() - 0.05, busyUse.toString());
            double threadNanos = busyTo.streamThreadCpuNanos() - busyFrom.streamThreadCpuNanos();
            assertEquals(threadNanos / 1_000 / 1_000, busyUse.streamThreadMicrosPerEvent(), 1e-9);
            assertEquals(threadNanos / (busyTo.nanos() - busyFrom.nanos()), busyUse.streamThreadCores(), 1e-12);
            assertTrue(idleUse.streamThreadCores() < 0.05, idleUse.toString());
        } finally {
            stop.set(true);
            busy.join();
            idle.join();
        }
    }

    @Test
    void shouldNotMeasureAWindowTooShortToTellAnything() {
        CpuMeter meter = new CpuMeter("no-such-app");
        CpuMeter.Sample from = meter.sample();
        CpuMeter.Sample to = new CpuMeter.Sample(from.nanos() + CpuMeter.Use.MIN_WINDOW_NANOS - 1,
                from.processCpuNanos() + 1_000_000, 0);
        assertFalse(CpuMeter.Use.between(from, to, 100).measured());
        assertFalse(CpuMeter.Use.between(from, meter.sample(), 0).measured(), "no events");
    }
}
