package io.torque.core.internal.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** The inotify calls of libc, through JNA (torque's native access): the fd, a watch on it. */
interface Inotify extends Library {
    Inotify INSTANCE = Native.load("c", Inotify.class);

    int IN_NONBLOCK = 04000;
    int IN_CLOEXEC = 02000000;
    int IN_MODIFY = 0x2;
    int IN_ATTRIB = 0x4;
    int IN_CLOSE_WRITE = 0x8;
    int IN_MOVED_FROM = 0x40;
    int IN_MOVED_TO = 0x80;
    int IN_CREATE = 0x100;
    int IN_DELETE = 0x200;
    int IN_DELETE_SELF = 0x400;
    int IN_MOVE_SELF = 0x800;
    int IN_UNMOUNT = 0x2000;
    int IN_Q_OVERFLOW = 0x4000;
    int IN_IGNORED = 0x8000;
    int IN_ISDIR = 0x40000000;

    int inotify_init1(int flags) throws LastErrorException;

    int inotify_add_watch(int fd, String pathname, int mask) throws LastErrorException;
}
