package io.torque.topology;

/** What a CPU cache holds, as sysfs names it in {@code cache/indexN/type}. */
public enum CacheType {
    /** Data only ({@code Data}; hwloc's {@code L1dCache}). */
    DATA("data", "d"),
    /** Instructions only ({@code Instruction}; hwloc's {@code L1iCache}). */
    INSTRUCTION("instruction", "i"),
    /** Data and instructions ({@code Unified}; hwloc's {@code L2Cache}). */
    UNIFIED("unified", "");

    private final String label;
    private final String hwlocSuffix;

    CacheType(String label, String hwlocSuffix) {
        this.label = label;
        this.hwlocSuffix = hwlocSuffix;
    }

    /**
     * The lower-case name used in reports and JSON: {@code data}, {@code instruction}, {@code unified}.
     *
     * @return this type's label, never empty
     */
    public String label() {
        return label;
    }

    /**
     * hwloc's name for a cache of this type at {@code level}, such as {@code L1dCache}.
     *
     * @param level the cache level, 1 for L1; not checked, it is written as given
     * @return {@code "L"}, the level, {@code d} or {@code i} (nothing for unified), then
     *     {@code Cache}
     */
    public String hwlocName(int level) {
        return "L" + level + hwlocSuffix + "Cache";
    }

    /**
     * Parses the sysfs {@code type} text ({@code Data}, {@code Instruction}, {@code Unified}),
     * case-insensitively.
     *
     * @param text the contents of a {@code type} file; surrounding white space (the trailing
     *     newline) is ignored
     * @return the matching type
     * @throws IllegalArgumentException for any other text
     */
    public static CacheType fromSysfs(String text) {
        switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "data":
                return DATA;
            case "instruction":
                return INSTRUCTION;
            case "unified":
                return UNIFIED;
            default:
                throw new IllegalArgumentException("unknown cache type '" + text.strip() + "'");
        }
    }
}
