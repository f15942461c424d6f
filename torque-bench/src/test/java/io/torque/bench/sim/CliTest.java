package io.torque.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The command line: bad input is refused with a message, the JSON has what the issue names. */
class CliTest {
    private static int run(StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new TorqueSim()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void badInputIsAUsageError() {
        for (String[] args : new String[][] {{}, {"--pes", "4", "--fsroot", "/tmp"}, {"--pes", "0"},
                {"--pes", "4", "--service", "exp:10"}, {"--pes", "4", "--service", "pareto:10us,1"},
                {"--pes", "4", "--arrivals", "burst"}, {"--pes", "4", "--load", "0"}, {"--pes", "4", "--costs", "free"},
                {"--pes", "4", "--hot-loops", "5"}, {"--pes", "4", "--policy", "FIFO"}, {"--pes", "4", "--events", "5"},
                {"--fsroot", "/no/such/place"}}) {
            StringWriter err = new StringWriter();
            assertThat(run(err, args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).isNotBlank();
            assertThat(err.toString().strip().lines().findFirst().orElse("")).as(String.join(" ", args)).isNotBlank();
        }
    }

    @Test
    void parsersNameWhatIsWrong() {
        assertThatThrownBy(() -> Service.parse("exp:ten us")).hasMessageContaining("ten us");
        assertThatThrownBy(() -> Service.parse("bimodal:1us,2us,1.5")).hasMessageContaining("probability");
        assertThatThrownBy(() -> Arrivals.parse("trace:/no/such/trace")).hasMessageContaining("/no/such/trace");
        assertThat(Service.parse("bimodal:10us,1ms,0.01").meanNanos()).isEqualTo(0.99 * 10_000 + 0.01 * 1_000_000);
        assertThat(Service.duration("1.5ms")).isEqualTo(1_500_000);
    }

    @Test
    void theJsonHasEveryFieldPerPolicyAndLoad(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out.json");
        StringWriter err = new StringWriter();
        int status = run(err, "--pes", "8", "--events", "20000", "--load", "0.5,0.8", "--hot-loops", "1", "--no-max-load",
                "--json", json.toString());
        assertThat(status).as(err.toString()).isZero();
        String text = Files.readString(json);
        for (String field : new String[] {"\"policy\"", "\"load\"", "\"throughput_per_us\"", "\"mean_us\"", "\"p50_us\"",
                "\"p99_us\"", "\"p999_us\"", "\"handoffs_per_event\"", "\"mean_handoff_distance\"", "\"utilization\""}) {
            assertThat(text.split(field, -1).length - 1).as(field).isEqualTo(8); // 4 policies x 2 loads
        }
        assertThat(Files.readString(Path.of(json + ".svg"))).startsWith("<svg").contains("PARETO").contains("p99 bound");
    }
}
