package io.torque.core.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.core.Torque;

/** Path watching on real files: create, modify, close, delete, rename, overflow, removal. */
class PathWatchTest {
    @TempDir
    Path dir;

    /** Records events as "KIND name" lines. */
    private static final class Recorder implements PathHandler {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final AtomicInteger overflows = new AtomicInteger();
        final AtomicInteger removals = new AtomicInteger();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final java.util.List<Integer> cookies = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onEvent(PathWatch watch, PathEvent e) {
            if (e.cookie() != 0) {
                cookies.add(e.cookie()); // before the line: a test that saw the line sees the cookie
            }
            events.add(e.kind() + " " + watch.path().relativize(e.path()) + (e.directory() ? "/" : ""));
        }

        @Override
        public void onOverflow(PathWatch watch) {
            overflows.incrementAndGet();
        }

        @Override
        public void onRemoved(PathWatch watch) {
            removals.incrementAndGet();
        }

        @Override
        public void onClose(PathWatch watch, Throwable cause) {
            closed.complete(cause);
        }

        /** Takes events until {@code line} (inclusive); fails after 10 s. */
        String until(String line) throws InterruptedException {
            StringBuilder seen = new StringBuilder();
            while (true) {
                String e = events.poll(10, TimeUnit.SECONDS);
                if (e == null) {
                    throw new AssertionError("no '" + line + "' within 10 s; saw: " + seen);
                }
                seen.append(e).append("; ");
                if (e.equals(line)) {
                    return seen.toString();
                }
            }
        }
    }

    @Test
    void aDirectorysEntriesComeAndGo() throws Exception {
        Recorder r = new Recorder();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            PathWatch w = torque.watch(dir, r);
            assertThat(w.isOpen()).isTrue();
            Path f = dir.resolve("a.txt");
            Files.writeString(f, "one");
            String seen = r.until("CLOSE_WRITE a.txt");
            assertThat(seen).startsWith("CREATE a.txt; ").contains("MODIFY a.txt");
            Files.createDirectory(dir.resolve("sub"));
            r.until("CREATE sub/");
            Files.move(f, dir.resolve("b.txt"));
            r.until("MOVED_FROM a.txt");
            r.until("MOVED_TO b.txt");
            assertThat(r.cookies).hasSize(2);
            assertThat(r.cookies.get(0)).isEqualTo(r.cookies.get(1)).isNotZero(); // one rename
            Files.delete(dir.resolve("b.txt"));
            r.until("DELETE b.txt");
            w.close();
            assertThat(r.closed.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(w.isOpen()).isFalse();
            assertThat(r.removals.get()).isZero();
        }
    }

    @Test
    void theWatchedPathGoingIsReportedOnceAndEndsTheWatch() throws Exception {
        Recorder r = new Recorder();
        Path f = Files.writeString(dir.resolve("watched.txt"), "x");
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            PathWatch w = torque.watch(f, r);
            Files.writeString(f, "y");
            r.until("MODIFY ");
            Files.delete(f);
            assertThat(r.closed.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(r.removals.get()).isEqualTo(1);
            assertThat(w.isOpen()).isFalse();
        }
    }

    @Test
    void anOverflowIsReportedNotSwallowed() throws Exception {
        Recorder r = new Recorder();
        int max; // not Files.readString: procfs reports size 0, and the JDK read only the first byte here
        try (java.io.BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/fs/inotify/max_queued_events"))) {
            max = Integer.parseInt(in.readLine().trim());
        }
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            torque.watch(dir, r);
            CompletableFuture<Void> hold = new CompletableFuture<>();
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            // hold the one loop so the kernel's queue fills while nobody reads it
            torque.timer(java.time.Duration.ZERO, java.time.Duration.ZERO, t -> {
                held.countDown();
                hold.join();
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i <= max + 10; i++) { // a CREATE each, never merged (the names differ)
                Files.createFile(dir.resolve("f" + i));
            }
            hold.complete(null);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (r.overflows.get() == 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(r.overflows.get()).as("events seen: %d, closed: %s", r.events.size(), r.closed).isEqualTo(1);
        }
    }

    @Test
    void closingFromACallbackEndsTheEvents() throws Exception {
        java.util.concurrent.atomic.AtomicInteger after = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            torque.watch(dir, new PathHandler() {
                @Override
                public void onEvent(PathWatch watch, PathEvent e) {
                    if (closed.isDone()) {
                        after.incrementAndGet();
                    }
                    watch.close(); // at the first event: the batch read with it is not delivered
                }

                @Override
                public void onClose(PathWatch watch, Throwable cause) {
                    closed.complete(null);
                }
            });
            for (int i = 0; i < 50; i++) {
                Files.createFile(dir.resolve("e" + i));
            }
            closed.get(10, TimeUnit.SECONDS);
            Thread.sleep(100);
            assertThat(after.get()).as("events after onClose").isZero();
        }
    }

    @Test
    void aMissingPathIsAClearError() {
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Path nowhere = dir.resolve("nowhere");
            assertThatThrownBy(() -> torque.watch(nowhere, new Recorder())).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(NoSuchFileException.class).hasMessageContaining(nowhere.toString());
        }
    }
}
