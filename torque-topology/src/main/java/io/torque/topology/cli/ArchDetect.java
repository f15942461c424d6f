package io.torque.topology.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.torque.topology.Topology;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code archdetect [--json] [--fsroot DIR]}: prints the topology torque sees, as text in the
 * spirit of libtorque's archdetect, or as one JSON object. Exit status 0 on success, 2 on bad
 * input (a one-line message on stderr, no stack trace).
 */
@Command(name = "archdetect", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true,
        description = "Prints the machine's topology as torque sees it: packages, cores, PEs, caches, "
                + "NUMA nodes, page sizes and scheduling levels, for the CPUs this process may use.")
public final class ArchDetect implements Callable<Integer> {
    /** Exit status for bad input. */
    public static final int USAGE = 2;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also draw the machine as lstopo does, as SVG, into FILE.")
    java.nio.file.Path svg;

    @Option(names = "--fsroot", paramLabel = "DIR",
            description = "Read a sysfs/procfs snapshot unpacked under DIR instead of the live machine (default: the live machine).")
    Path fsroot;

    private final PrintWriter out;
    private final PrintWriter err;

    ArchDetect(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Detects the topology (live, or from {@code --fsroot}) and prints the report on the output
     * writer; problems go to the error writer as one line.
     *
     * @return 0 on success, {@link #USAGE} when {@code --fsroot} is not a folder or not a
     *     sysfs/procfs snapshot
     */
    @Override
    public Integer call() {
        Topology t;
        if (fsroot != null) {
            if (!Files.isDirectory(fsroot)) {
                err.println("archdetect: --fsroot " + fsroot + ": no such directory");
                return USAGE;
            }
            try {
                t = Topology.detect(fsroot);
            } catch (IllegalArgumentException e) {
                err.println("archdetect: " + e.getMessage());
                return USAGE;
            }
        } else {
            t = Topology.detect();
        }
        out.print(json ? JsonReport.of(t) + "\n" : TextReport.of(t));
        if (svg != null) {
            try {
                Files.writeString(svg, SvgReport.of(t));
            } catch (java.io.IOException e) {
                err.println("archdetect: --svg " + svg + ": " + e.getMessage());
                return USAGE;
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Runs the command with these arguments and returns its exit status. Unlike
     * {@link #main}, it never exits the JVM, so tests and other tools can call it.
     *
     * @param out where the report (and {@code --help}, {@code --version}) goes
     * @param err where error messages go, one line each; flushed before returning
     * @param args the command-line arguments, such as {@code --json --fsroot DIR}
     * @return 0 on success (help and version included), {@link #USAGE} for bad arguments or a bad
     *     {@code --fsroot}, 1 when detection fails unexpectedly
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ArchDetect(out, err));
        cl.setOut(out).setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("archdetect: " + ex.getMessage() + " (try --help)");
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            err.println("archdetect: " + ex);
            err.flush();
            return 1;
        });
        int status = cl.execute(args);
        err.flush();
        return status;
    }

    /**
     * Entry point: runs the command on {@code System.out} and {@code System.err}, then exits the
     * JVM with its status (see {@link #run}).
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }
}
