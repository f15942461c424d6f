package io.torque.topology.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.topology.Topology;
import io.torque.topology.fixtures.Fixtures;

class ArchDetectTest {
    @TempDir
    Path empty;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArchDetect.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheDocumentedShapeAndOnlyUsableCpus() {
        Path root = Fixtures.root("16amd64-8n2c-cpusets");
        Run r = run("--json", "--fsroot", root.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(r.out());
        assertThat(doc).containsKeys("cpus", "packages", "cores", "caches", "numaNodes", "pageSizes", "levels");
        Map<String, Object> cpus = (Map<String, Object>) doc.get("cpus");
        List<Object> usable = (List<Object>) cpus.get("usable");
        assertThat(usable).containsExactly(0L, 1L, 2L, 3L, 5L, 6L, 12L, 13L, 14L, 15L);
        assertThat((List<Object>) doc.get("packages")).hasSize(6);
        for (String key : List.of("packages", "cores", "caches", "numaNodes")) {
            for (Object o : (List<Object>) doc.get(key)) {
                assertThat(usable).as(key).containsAll((List<Object>) ((Map<String, Object>) o).get("cpus"));
            }
        }
        Map<String, Object> l1 = (Map<String, Object>) ((List<Object>) doc.get("caches")).get(0);
        assertThat(l1).containsEntry("level", 1L).containsEntry("type", "data").containsEntry("sizeBytes", 65536L)
                .containsEntry("lineBytes", 64L).containsEntry("ways", 2L);
        Topology t = Topology.detect(root);
        assertThat((List<Object>) doc.get("caches")).hasSize(t.caches().size());
        assertThat((List<Object>) doc.get("levels")).hasSize(t.levels().size());
    }

    @Test
    void textNamesCachesLikeLibtorque() {
        Run r = run("--fsroot", Fixtures.root("8em64t-2s2ca2c").toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Package 0").contains("Memory nodes:").contains("Page sizes:")
                .contains("Cache: 32KB total, 64B line, 8-assoc, 1-shared (L1 data)")
                .contains("Scheduling levels:").contains("thread(s) per core");
    }

    @Test
    void everySnapshotGivesWellFormedJson() {
        for (String name : Fixtures.names()) {
            Run r = run("--json", "--fsroot", Fixtures.root(name).toString());
            assertThat(r.status()).as(name).isZero();
            assertThat(MiniJson.parse(r.out())).as(name).isInstanceOf(Map.class);
        }
    }

    @Test
    void badInputIsOneLineAndStatus2() {
        for (String[] args : List.of(new String[] {"--fsroot", "/no/such/dir"}, new String[] {"--fsroot", empty.toString()},
                new String[] {"--bogus"}, new String[] {"--fsroot"})) {
            Run r = run(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("archdetect: ").doesNotContain("\n")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void sizesPrintInTheLargestExactUnit() {
        assertThat(TextReport.size(32768)).isEqualTo("32KB");
        assertThat(TextReport.size(2L << 20)).isEqualTo("2MB");
        assertThat(TextReport.size(1536 * 1024)).isEqualTo("1536KB");
        assertThat(TextReport.size(24684084L * 1024)).isEqualTo("23.5GB");
        assertThat(TextReport.size(100)).isEqualTo("100B");
    }
}
