package io.torque.topology;

/**
 * The kernel's text forms of a CPU set, both ways: the list ({@code "0-3,8,10-11"}, also with
 * the stride form {@code "0-15:2/4"}) and the hex mask of 32-bit words ({@code "00000000,0000010f"}).
 * {@link CpuSet}'s parsing and formatting methods delegate here.
 */
final class CpuSetText {
    private CpuSetText() {
    }

    static CpuSet parseList(String text) {
        CpuSetBuilder b = CpuSet.builder();
        String s = text.strip();
        if (s.isEmpty()) {
            return CpuSet.EMPTY;
        }
        for (String part : s.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                if (dash < 0) {
                    b.add(Integer.parseInt(p));
                } else {
                    int colon = p.indexOf(':');
                    int from = Integer.parseInt(p.substring(0, dash));
                    int to = Integer.parseInt(p.substring(dash + 1, colon < 0 ? p.length() : colon));
                    if (to < from) {
                        throw new IllegalArgumentException("bad CPU range '" + p + "' in '" + s + "'");
                    }
                    if (colon < 0) {
                        b.addRange(from, to);
                    } else {
                        // "0-15:2/4" (used-size/group-size stride form accepted by the kernel)
                        String[] stride = p.substring(colon + 1).split("/");
                        int used = Integer.parseInt(stride[0]);
                        int group = Integer.parseInt(stride[1]);
                        if (used <= 0 || group <= 0) {
                            throw new IllegalArgumentException("bad CPU stride '" + p + "'");
                        }
                        for (int g = from; g <= to; g += group) {
                            b.addRange(g, Math.min(to, g + used - 1));
                        }
                    }
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a CPU list: '" + s + "'", e);
            }
        }
        return b.build();
    }

    static CpuSet parseMask(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return CpuSet.EMPTY;
        }
        CpuSetBuilder b = CpuSet.builder();
        String[] chunks = s.split(",");
        int bit = 0;
        for (int i = chunks.length - 1; i >= 0; i--) {
            String chunk = chunks[i].strip();
            if (chunk.startsWith("0x") || chunk.startsWith("0X")) {
                chunk = chunk.substring(2);
            }
            // Read each chunk from its least significant hex digit so chunks of any width work.
            int width = chunks.length == 1 ? chunk.length() * 4 : 32;
            for (int d = chunk.length() - 1, shift = 0; d >= 0; d--, shift += 4) {
                int v = Character.digit(chunk.charAt(d), 16);
                if (v < 0) {
                    throw new IllegalArgumentException("not a CPU mask: '" + s + "'");
                }
                for (int k = 0; k < 4; k++) {
                    if ((v & (1 << k)) != 0) {
                        b.add(bit + shift + k);
                    }
                }
            }
            bit += width;
        }
        return b.build();
    }

    static String list(CpuSet set) {
        StringBuilder sb = new StringBuilder();
        int cpu = set.next(0);
        while (cpu >= 0) {
            int end = cpu;
            while (set.contains(end + 1)) {
                end++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(cpu);
            if (end > cpu) {
                sb.append('-').append(end);
            }
            cpu = set.next(end + 1);
        }
        return sb.toString();
    }
}
