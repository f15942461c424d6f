package io.torque.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torque.core.Torque;
import io.torque.core.dispatch.DispatchPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The servers' shared options: --dispatch reaches the builder, and the library's default stays without it. */
class ServerOptionsTest {
    @Command(name = "server")
    static final class Server {
        @Mixin
        ServerOptions options;
    }

    private static DispatchPolicy policyWith(String... args) {
        Server s = new Server();
        new CommandLine(s).parseArgs(args);
        try (Torque torque = s.options.builder().loopCount(1).pin(false).build()) {
            return torque.policy();
        }
    }

    @Test
    void dispatchPicksThePolicyAndItsAbsenceKeepsTheDefault() {
        assertThat(policyWith("--dispatch", "STEAL_EPOLL")).isEqualTo(DispatchPolicy.STEAL_EPOLL);
        assertThat(policyWith("--dispatch", "STATIC")).isEqualTo(DispatchPolicy.STATIC);
        DispatchPolicy library;
        try (Torque torque = Torque.builder().loopCount(1).pin(false).build()) {
            library = torque.policy();
        }
        assertThat(policyWith()).isEqualTo(library);
    }

    @Test
    void anUnknownPolicyIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> policyWith("--dispatch", "FAIR")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("STEAL_EPOLL");
    }
}
