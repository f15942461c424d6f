package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Next;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A recording that enables torque's events finds the hand-offs and the slow turns of a known
 * workload: 8 requests of 5 ms ready at once on one loop under STEAL, the other loop idle.
 */
class JfrEventsTest {
    @Test
    void aRecordingShowsHandOffsAndSlowTurns() throws Exception {
        Path file = Files.createTempFile("torque", ".jfr");
        CountDownLatch done = new CountDownLatch(8);
        List<Socket> all = new ArrayList<>();
        try (Recording recording = new Recording();
                TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL, c -> (conn, in) -> {
                    in.consumeAll();
                    long start = System.nanoTime();
                    while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(5)) {
                        Thread.onSpinWait();
                    }
                    done.countDown();
                    return Next.CONTINUE;
                })) {
            recording.enable("io.torque.HandOff");
            recording.enable("io.torque.SlowTurn").withThreshold(java.time.Duration.ofMillis(1));
            recording.start();
            List<Socket> onHome = rig.connectOnFirstHome(16, all);
            Loop home = rig.accepted(0).home;
            TwoLoops.requestsInOneRound(home, onHome, 8);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            // the last callback counted down inside its turn, whose event commits as the turn
            // ends: a task on each loop runs only after the turn it follows has ended
            TwoLoops.hold(home).countDown();
            for (int i = 0; i < 16; i++) {
                if (rig.accepted(i).home != home) {
                    TwoLoops.hold(rig.accepted(i).home).countDown();
                    break;
                }
            }
            recording.stop();
            recording.dump(file);
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
        try {
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<RecordedEvent> handOffs = events.stream().filter(e -> e.getEventType().getName().equals("io.torque.HandOff")).toList();
            List<RecordedEvent> slow = events.stream().filter(e -> e.getEventType().getName().equals("io.torque.SlowTurn")).toList();
            assertThat(handOffs).as("hand-off events").isNotEmpty();
            assertThat(handOffs).allSatisfy(e -> {
                assertThat(e.getString("policy")).isEqualTo("STEAL");
                assertThat(e.getInt("sources")).isPositive();
                assertThat(e.getInt("fromLoop")).isNotEqualTo(e.getInt("toLoop"));
            });
            assertThat(slow).as("slow turns (8 of 5 ms)").hasSizeGreaterThanOrEqualTo(8);
            assertThat(slow).allSatisfy(e -> {
                assertThat(e.getDuration().toMillis()).isGreaterThanOrEqualTo(1);
                assertThat(e.getString("connection")).isNotBlank();
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
