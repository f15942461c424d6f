package io.torque.topology.internal.sysfs;

import io.torque.topology.CpuIdentity;

/**
 * Fills in what {@code /proc/cpuinfo} leaves out with OSHI (live only): the microarchitecture
 * name, and vendor and brand where cpuinfo had none. OSHI is used for CPU identification only;
 * it reports no cache sharing, per-node memory or affinity, so topology never comes from it.
 */
final class OshiIdentity {
    private static final System.Logger LOG = System.getLogger(OshiIdentity.class.getName());

    private OshiIdentity() {
    }

    static CpuIdentity enrich(CpuIdentity fromCpuinfo) {
        try {
            var id = new oshi.SystemInfo().getHardware().getProcessor().getProcessorIdentifier();
            String vendor = fromCpuinfo.vendor().isEmpty() ? nullToEmpty(id.getVendor()) : fromCpuinfo.vendor();
            String brand = fromCpuinfo.brand().isEmpty() ? nullToEmpty(id.getName()) : fromCpuinfo.brand();
            String uarch = nullToEmpty(id.getMicroarchitecture());
            if (uarch.equalsIgnoreCase("unknown")) {
                uarch = "";
            }
            return new CpuIdentity(vendor, brand, fromCpuinfo.family(), fromCpuinfo.model(), fromCpuinfo.stepping(), uarch);
        } catch (Throwable t) { // OSHI or JNA missing or failing: identification is optional
            LOG.log(System.Logger.Level.DEBUG, "OSHI CPU identification unavailable", t);
            return fromCpuinfo;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
