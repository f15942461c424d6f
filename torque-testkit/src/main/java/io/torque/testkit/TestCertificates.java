package io.torque.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates for TLS tests, made at test time with the {@code openssl} command (no
 * key material in the repository): a CA, and PEM certificates with unencrypted P-256 keys that
 * it signs, for given host names and addresses, also already expired ones.
 */
public final class TestCertificates {
    private final Path dir;
    private final Path caCert;
    private final Path caKey;
    private int serial;

    /**
     * A certificate and its key.
     *
     * @param certificate the PEM certificate (signed by the CA)
     * @param key the PEM private key (PKCS#8, unencrypted)
     */
    public record Pair(Path certificate, Path key) {
    }

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
    }

    /**
     * Whether the {@code openssl} command is on the PATH.
     *
     * @return true if it runs
     */
    public static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Makes a CA in {@code dir}.
     *
     * @param dir an empty directory for the files
     * @return the CA
     * @throws IOException if openssl fails
     */
    public static TestCertificates create(Path dir) throws IOException {
        TestCertificates t = new TestCertificates(dir);
        t.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", t.caKey.toString(), "-out", t.caCert.toString(), "-days", "2", "-subj", "/CN=torque test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]", "default_ca = test_ca", "[ test_ca ]", "dir = " + dir, "database = " + dir.resolve("index.txt"),
                "new_certs_dir = " + dir, "serial = " + dir.resolve("serial"), "default_md = sha256",
                "policy = any", "copy_extensions = copy", "unique_subject = no", "[ any ]", "commonName = supplied", ""),
                StandardCharsets.US_ASCII);
        return t;
    }

    /**
     * The CA's certificate, for clients (and servers checking clients) to trust.
     *
     * @return the PEM file
     */
    public Path ca() {
        return caCert;
    }

    /**
     * A certificate valid from now for two days, naming {@code names} (DNS names, or IP
     * addresses written as {@code IP:127.0.0.1}).
     *
     * @param commonName the subject's CN
     * @param names subject alternative names
     * @return the certificate and key
     * @throws IOException if openssl fails
     */
    public Pair issue(String commonName, String... names) throws IOException {
        return sign(commonName, null, null, names);
    }

    /**
     * A certificate that expired in 2020.
     *
     * @param commonName the subject's CN
     * @param names subject alternative names
     * @return the certificate and key
     * @throws IOException if openssl fails
     */
    public Pair issueExpired(String commonName, String... names) throws IOException {
        return sign(commonName, "20200101000000Z", "20200102000000Z", names);
    }

    private Pair sign(String commonName, String start, String end, String... names) throws IOException {
        String base = "cert" + (++serial);
        Path key = dir.resolve(base + ".key");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".pem");
        List<String> san = new ArrayList<>();
        for (String n : names) {
            san.add(n.startsWith("IP:") ? n : "DNS:" + n);
        }
        List<String> req = new ArrayList<>(List.of("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + commonName));
        if (!san.isEmpty()) {
            req.add("-addext");
            req.add("subjectAltName=" + String.join(",", san));
        }
        openssl(req.toArray(String[]::new));
        List<String> ca = new ArrayList<>(List.of("ca", "-batch", "-notext", "-config", dir.resolve("ca.cnf").toString(),
                "-cert", caCert.toString(), "-keyfile", caKey.toString(), "-in", csr.toString(), "-out", cert.toString()));
        if (start != null) {
            ca.addAll(List.of("-startdate", start, "-enddate", end));
        } else {
            ca.addAll(List.of("-days", "2"));
        }
        openssl(ca.toArray(String[]::new));
        return new Pair(cert, key);
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
