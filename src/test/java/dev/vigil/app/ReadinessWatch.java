package dev.vigil.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls a service's {@code /ready} every {@value #PERIOD_MS} ms on a thread of its own and keeps the changes: each
 * new status code (or body but for its numbers, while not ready) with the time it was first seen. A refused or
 * timed-out request is recorded as status -1.
 */
final class ReadinessWatch implements AutoCloseable {
    private static final long PERIOD_MS = 250;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** An answer of {@code /ready} first seen at {@code nanos} ({@link System#nanoTime()}). */
    record Answer(long nanos, int status, String body) {
    }

    private final URI uri;
    private final List<Answer> answers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    ReadinessWatch(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/ready");
        this.thread = new Thread(this::poll, "readiness-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (!stopping) {
            Answer a = ask();
            synchronized (answers) {
                Answer last = answers.isEmpty() ? null : answers.get(answers.size() - 1);
                if (last == null || last.status() != a.status()
                        || (a.status() != 200 && !withoutNumbers(last.body()).equals(withoutNumbers(a.body())))) {
                    answers.add(a);
                }
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String withoutNumbers(String body) {
        return body.replaceAll("[0-9]+", "#");
    }

    private Answer ask() {
        long now = System.nanoTime();
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(now, r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(now, -1, "interrupted");
        } catch (Exception e) {
            return new Answer(now, -1, e.toString());
        }
    }

    /** The answers that differed from the one before, in order. */
    List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** The first answer with {@code status} seen at or after {@code sinceNanos}, or null. */
    Answer first(int status, long sinceNanos) {
        return answers().stream().filter(a -> a.status() == status && a.nanos() >= sinceNanos).findFirst()
                .orElse(null);
    }

    /**
     * Waits for {@link #first}{@code (status, sinceNanos)}; null if there is none by {@code untilNanos}
     * ({@link System#nanoTime()}).
     */
    Answer await(int status, long sinceNanos, long untilNanos) throws InterruptedException {
        while (true) {
            Answer a = first(status, sinceNanos);
            if (a != null || System.nanoTime() > untilNanos) {
                return a;
            }
            Thread.sleep(PERIOD_MS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
