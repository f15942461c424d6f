package io.torque.topology.internal.sysfs;

import java.util.LinkedHashMap;
import java.util.Map;

import io.torque.topology.CpuIdentity;

/**
 * Reads what the CPUs are from the first processor block of {@code /proc/cpuinfo}, whose fields
 * differ by architecture: x86 ({@code vendor_id}, {@code model name}, {@code cpu family},
 * {@code model}, {@code stepping}), ARM ({@code CPU implementer}, {@code CPU part},
 * {@code Processor} or {@code model name}), POWER ({@code cpu}, {@code revision}) and ia64
 * ({@code vendor}, {@code family}, {@code model}).
 */
final class CpuInfoReader {
    private CpuInfoReader() {
    }

    static CpuIdentity read(FsRoot fs) {
        return parse(fs.read("/proc/cpuinfo").orElse(""));
    }

    static CpuIdentity parse(String cpuinfo) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> global = new LinkedHashMap<>();
        boolean inBlock = false;
        boolean blockDone = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (line.isBlank()) {
                blockDone |= inBlock;
                continue;
            }
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("processor") && value.chars().allMatch(Character::isDigit)) {
                inBlock = true;
            }
            Map<String, String> target = (inBlock && !blockDone) ? fields : global;
            target.putIfAbsent(key, value);
        }
        global.forEach(fields::putIfAbsent); // ARM's "Hardware" and the like follow the blocks
        String vendor = first(fields, "vendor_id", "vendor");
        String implementer = fields.get("CPU implementer");
        if (vendor.isEmpty() && implementer != null) {
            vendor = armImplementer(implementer);
        }
        String brand = first(fields, "model name", "Processor", "cpu", "uarch");
        if (vendor.isEmpty() && brand.startsWith("POWER")) {
            vendor = "IBM";
        }
        int family = number(first(fields, "cpu family", "CPU architecture", "family"));
        int model = number(first(fields, "model", "CPU part"));
        int stepping = number(first(fields, "stepping", "CPU revision"));
        return new CpuIdentity(vendor, brand, family, model, stepping, "");
    }

    private static String first(Map<String, String> fields, String... keys) {
        for (String key : keys) {
            String v = fields.get(key);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private static int number(String text) {
        try {
            return text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String armImplementer(String code) {
        switch (code.toLowerCase(java.util.Locale.ROOT)) {
            case "0x41": return "ARM";
            case "0x42": return "Broadcom";
            case "0x43": return "Cavium";
            case "0x46": return "Fujitsu";
            case "0x48": return "HiSilicon";
            case "0x4e": return "NVIDIA";
            case "0x50": return "APM";
            case "0x51": return "Qualcomm";
            case "0x53": return "Samsung";
            case "0x56": return "Marvell";
            case "0x61": return "Apple";
            case "0x69": return "Intel";
            case "0xc0": return "Ampere";
            default: return "implementer " + code;
        }
    }
}
