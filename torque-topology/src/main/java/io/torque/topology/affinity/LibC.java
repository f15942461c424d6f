package io.torque.topology.affinity;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The few libc calls torque needs, bound through JNA. Internal. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int sched_getaffinity(int pid, NativeLong cpusetsize, long[] mask) throws LastErrorException;

    int sched_setaffinity(int pid, NativeLong cpusetsize, long[] mask) throws LastErrorException;

    int sched_getcpu() throws LastErrorException;

    int getpagesize();
}
