package io.torque.topology.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The version line of every torque command ({@code -V}, {@code --version}): the command's name
 * and the project version the build wrote into {@code io/torque/topology/version.properties}.
 * Shared by archdetect, the examples and the benchmark tools (each names it as its picocli
 * {@code versionProvider}), so they cannot disagree.
 */
public final class TorqueVersion implements CommandLine.IVersionProvider {
    @CommandLine.Spec
    CommandSpec spec;

    /** Used by picocli. */
    public TorqueVersion() {
    }

    /**
     * The project version, such as {@code 0.1.0-SNAPSHOT}.
     *
     * @return the version the build recorded
     * @throws IllegalStateException if the build did not record one (resources not filtered)
     */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = TorqueVersion.class.getResourceAsStream("/io/torque/topology/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version", "");
        if (v.isEmpty() || v.startsWith("${")) {
            throw new IllegalStateException("version.properties was not filled in by the build: " + v);
        }
        return v;
    }

    /**
     * One line: {@code NAME (torque VERSION)}.
     *
     * @return the lines picocli prints for {@code --version}
     */
    @Override
    public String[] getVersion() {
        String name = spec != null ? spec.name() : "torque";
        return new String[] {name + " (torque " + version() + ")"};
    }
}
