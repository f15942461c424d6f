package io.torque.topology.cli;

import io.torque.topology.Cache;
import io.torque.topology.Core;
import io.torque.topology.CpuGroup;
import io.torque.topology.CpuKind;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;
import io.torque.topology.levels.SchedulingLevel;

/**
 * archdetect's {@code --json} document: one object holding {@code cpus}, {@code packages},
 * {@code cores}, {@code caches}, {@code numaNodes}, {@code pageSizes} and {@code levels}, plus
 * {@code dies}, {@code clusters}, {@code cpuKinds}, {@code identity}, {@code memoryBytes},
 * {@code cpuQuota}, {@code advisoryLoops}, {@code thisSystem} and {@code notes}. Every
 * {@code cpus} list holds usable CPUs only; an unknown OS id is {@code null}.
 */
public final class JsonReport {
    private JsonReport() {
    }

    /**
     * The document for {@code t}, on one line.
     *
     * @param t the topology to describe
     * @return one JSON object, without a trailing newline
     */
    public static String of(Topology t) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("cpus").beginObject()
                .name("possible").values(t.possibleCpus().toArray())
                .name("online").values(t.onlineCpus().toArray())
                .name("usable").values(t.usableCpus().toArray())
                .endObject();
        w.name("packages").beginArray();
        for (CpuPackage p : t.packages()) {
            w.beginObject().name("id");
            id(w, p.id());
            w.name("cpus").values(p.cpus().toArray()).endObject();
        }
        w.endArray();
        groups(w, "dies", t.dies());
        groups(w, "clusters", t.clusters());
        w.name("cores").beginArray();
        for (Core c : t.cores()) {
            w.beginObject().name("package");
            id(w, c.packageId());
            w.name("id");
            id(w, c.id());
            w.name("cpus").values(c.cpus().toArray()).endObject();
        }
        w.endArray();
        w.name("caches").beginArray();
        for (Cache c : t.caches()) {
            w.beginObject().name("level").value(c.level()).name("type").value(c.type().label())
                    .name("sizeBytes").value(c.sizeBytes()).name("lineBytes").value(c.lineBytes())
                    .name("ways").value(c.ways()).name("cpus").values(c.cpus().toArray()).endObject();
        }
        w.endArray();
        w.name("numaNodes").beginArray();
        for (NumaNode n : t.numaNodes()) {
            w.beginObject().name("id").value(n.id()).name("cpus").values(n.cpus().toArray())
                    .name("memoryBytes").value(n.memoryBytes()).name("memoryAllowed").value(n.memoryAllowed())
                    .name("distances").values(n.distances()).name("kind").value(n.kind()).name("tier").value(n.tier())
                    .endObject();
        }
        w.endArray();
        w.name("io").beginArray();
        for (io.torque.topology.IoDevice d : t.ioDevices()) {
            w.beginObject().name("kind").value(d.kind()).name("name").value(d.name()).name("pci");
            if (d.pciAddress() == null) {
                w.nullValue();
            } else {
                w.value(d.pciAddress());
            }
            w.name("numaNode").value(d.numaNode()).name("cpus").values(d.cpus().toArray());
            if (d.speedMbps() >= 0) {
                w.name("speedMbps").value(d.speedMbps());
            }
            w.endObject();
        }
        w.endArray();
        w.name("pageSizes").beginArray();
        for (long size : t.pageSizes()) {
            w.value(size);
        }
        w.endArray();
        w.name("levels").beginArray();
        for (SchedulingLevel level : t.levels().levels()) {
            w.beginObject().name("name").value(level.name()).name("groups").beginArray();
            for (CpuSet g : level.groups()) {
                w.values(g.toArray());
            }
            w.endArray().endObject();
        }
        w.endArray();
        w.name("cpuKinds").beginArray();
        for (CpuKind k : t.cpuKinds()) {
            w.beginObject().name("efficiency").value(k.efficiency()).name("maxFrequencyKHz").value(k.maxFrequencyKHz())
                    .name("capacity").value(k.capacity()).name("cpus").values(k.cpus().toArray()).endObject();
        }
        w.endArray();
        var id = t.identity();
        w.name("identity").beginObject().name("vendor").value(id.vendor()).name("brand").value(id.brand())
                .name("family").value(id.family()).name("model").value(id.model())
                .name("stepping").value(id.stepping()).name("microarchitecture").value(id.microarchitecture())
                .endObject();
        w.name("memoryBytes").value(t.totalMemoryBytes());
        w.name("cpuQuota");
        if (t.cpuQuota().isPresent()) {
            w.value(t.cpuQuota().getAsDouble());
        } else {
            w.nullValue();
        }
        w.name("advisoryLoops").value(t.advisoryLoopCount());
        w.name("thisSystem").value(t.isThisSystem());
        w.name("notes").beginArray();
        t.notes().forEach(w::value);
        w.endArray();
        return w.endObject().toString();
    }

    private static void groups(JsonWriter w, String name, java.util.List<CpuGroup> groups) {
        w.name(name).beginArray();
        for (CpuGroup g : groups) {
            w.beginObject().name("id");
            id(w, g.id());
            w.name("cpus").values(g.cpus().toArray()).endObject();
        }
        w.endArray();
    }

    private static void id(JsonWriter w, int id) {
        if (id == Topology.UNKNOWN_ID) {
            w.nullValue();
        } else {
            w.value(id);
        }
    }
}
