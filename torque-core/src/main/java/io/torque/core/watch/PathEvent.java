package io.torque.core.watch;

import java.nio.file.Path;

/**
 * Something happened to a watched file, or to an entry of a watched directory.
 *
 * @param kind what happened
 * @param path the file: the watched path itself, or, in a watched directory, the path of the
 *     entry (the directory resolved with the entry's name)
 * @param directory whether the entry is a directory
 * @param cookie for {@link Kind#MOVED_FROM} and {@link Kind#MOVED_TO}, the number both halves
 *     of one rename share; 0 otherwise
 */
public record PathEvent(Kind kind, Path path, boolean directory, int cookie) {
    /** Kinds of events (inotify's). */
    public enum Kind {
        /** An entry was created in the watched directory. */
        CREATE,
        /** The file (or an entry) was written to. */
        MODIFY,
        /** The file (or an entry) was closed after writing: a good moment to read it. */
        CLOSE_WRITE,
        /** Metadata changed: permissions, timestamps, links. */
        ATTRIB,
        /** An entry was deleted from the watched directory. */
        DELETE,
        /** An entry was renamed away from the watched directory (its {@link #cookie()} names the rename). */
        MOVED_FROM,
        /** An entry was renamed into the watched directory (its {@link #cookie()} names the rename). */
        MOVED_TO
    }
}
