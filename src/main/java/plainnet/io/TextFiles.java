package plainnet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reading and writing the project's text files: strict UTF-8 in, atomic replacement out. Every
 * failure is a {@link FormatException} naming the file and what was expected and found.
 */
public final class TextFiles {

    private TextFiles() {}

    /** The temporary file of the save in progress, or null (for {@link #removeUnfinished}). */
    private static volatile Path unfinished;

    /**
     * Removes the temporary file of a save in progress, if any: for a shutdown hook, because an
     * interrupted JVM does not run the save's own clean-up. The target file is untouched.
     */
    public static void removeUnfinished() {
        Path tmp = unfinished;
        if (tmp == null) return;
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // nothing more can be done while the JVM stops
        }
    }

    /**
     * The whole file as text.
     *
     * @param path the file
     * @param what what the file should be, for messages ("a model file", "a data file")
     * @throws FormatException for a missing file, a folder, or bytes that are not UTF-8 (naming
     *                         the line and column of the first bad byte)
     * @return the decoded text
     */
    public static String read(Path path, String what) throws IOException {
        if (Files.isDirectory(path)) throw new FormatException(path.toString(), 0, 0, "expected " + what + ", found a folder");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new FormatException(path.toString(), 0, 0, "expected " + what + ", found no such file");
        } catch (IOException e) {
            throw new FormatException(path.toString(), 0, 0, "expected " + what + ", found a file that cannot be read (" + reason(e) + ")");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult r = utf8.decode(in, text, true);
        if (!r.isError()) r = utf8.flush(text);
        if (r.isError()) throw notUtf8(path);
        text.flip();
        return text.toString();
    }

    /**
     * The error for the first byte of a file that is not UTF-8, naming its line and its column
     * (counted in characters, 1-based), or null when the whole file is UTF-8. Reads the file again
     * in chunks, so it costs no more memory for a large file; called only once a reader has failed.
     */
    static FormatException notUtf8(Path path) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        int line = 1;
        long column = 1;
        try (SeekableByteChannel channel = Files.newByteChannel(path)) {
            boolean eof = false;
            while (true) {
                if (!eof && channel.read(in) < 0) eof = true;
                in.flip();
                CoderResult r = utf8.decode(in, out, eof);
                if (eof && r.isUnderflow()) r = utf8.flush(out);
                out.flip();
                while (out.hasRemaining()) {
                    if (out.get() == '\n') {
                        line++;
                        column = 1;
                    } else {
                        column++;
                    }
                }
                out.clear();
                if (r.isError()) {
                    return new FormatException(path.toString(), line, (int) Math.min(column, Integer.MAX_VALUE), String.format(Locale.ROOT,
                        "expected UTF-8 text, found the byte 0x%02x, which is not UTF-8 here", in.get(in.position()) & 0xff));
                }
                if (eof && r.isUnderflow()) return null;
                in.compact();
            }
        }
    }

    /**
     * Checks, before any work is done, that {@code path} can be written: it names a file (not a
     * folder) in a folder that exists.
     *
     * @param path the file to be written
     * @throws FormatException naming the path: no file name, a folder, or a missing parent folder
     */
    static void checkWritable(Path path) throws FormatException {
        Path abs = path.toAbsolutePath();
        if (abs.getFileName() == null || abs.getParent() == null) throw new FormatException(path.toString(), 0, 0, "expected a file name to write to, found none");
        if (Files.isDirectory(abs)) {
            throw new FormatException(path.toString(), 0, 0, "expected a file to write to, found a folder; give a file name in it, e.g. "
                + path.resolve("model.json"));
        }
        if (!Files.isDirectory(abs.getParent())) throw new FormatException(path.toString(), 0, 0, "expected an existing folder to write into, found no folder " + abs.getParent());
    }

    /**
     * Checks an output file of a command before any work is done (SPEC.md §21, "Command
     * line"): it names a file (not a folder) in a folder that exists; if it exists, a regular file (a symbolic link is followed,
     * a link to nothing is refused; devices, pipes and other special files are refused) that is
     * not one of the inputs (compared as the same file, links followed); and its folder accepts
     * a new file (tried by creating and removing a temporary file).
     *
     * @param path   the output file
     * @param option the option naming the file, e.g. "--out"
     * @param inputs the command's input options and files, in pairs: "--data", "d.csv", …; a null
     *               file is skipped
     * @throws FormatException naming the path, saying which rule it breaks and what to give instead
     */
    public static void checkOutput(Path path, String option, String... inputs) throws FormatException {
        checkWritable(path);
        String name = path.toString();
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            throw new FormatException(name, 0, 0, "expected a file to write to, found a symbolic link to a missing file; remove the link or give another " + option);
        }
        if (Files.exists(path)) {
            if (!Files.isRegularFile(path)) {
                throw new FormatException(name, 0, 0, "expected a regular file to write to, found a device, pipe or other special file; give a file name for " + option);
            }
            for (int j = 0; j + 1 < inputs.length; j += 2) {
                if (inputs[j + 1] == null) continue;
                Path input = Paths.get(inputs[j + 1]);
                boolean same;
                try {
                    same = Files.exists(input) && Files.isSameFile(path, input);
                } catch (IOException e) {
                    throw new FormatException(name, 0, 0, "cannot compare " + option + " with " + inputs[j] + " " + inputs[j + 1] + ": " + reason(e));
                }
                if (same) {
                    throw new FormatException(name, 0, 0, "expected " + option + " to differ from the input " + inputs[j] + " " + inputs[j + 1]
                        + ", found the same file (writing it would replace the input); give another " + option);
                }
            }
        }
        Path tmp = null;
        try {
            tmp = newTemporary(target(path));
        } catch (IOException e) {
            throw new FormatException(name, 0, 0, "expected a folder that accepts new files, found that " + target(path).getParent()
                + " does not (" + reason(e) + "); give an " + option + " in a writable folder");
        } finally {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // the empty probe file stays; the next save of this file removes it (writeAtomically)
            }
        }
    }

    /**
     * Checks, before any work is done, that a command can write into the folder {@code path},
     * creating it if missing (SPEC.md §21, "Command line"): the path and every existing folder
     * above it must be folders (links followed), not a file.
     *
     * @param path   the output folder, existing or to be created
     * @param option the option naming it, e.g. "--out"
     * @throws FormatException naming the path and the file found where a folder is expected
     */
    public static void checkFolder(Path path, String option) throws FormatException {
        Path abs = path.toAbsolutePath();
        for (Path p = abs; p != null && !Files.isDirectory(p); p = p.getParent()) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue; // a folder still to be created
            String kind = Files.isRegularFile(p) ? "a file" : Files.isSymbolicLink(p) ? "a symbolic link to nothing" : "a device, pipe or other special file";
            throw new FormatException(path.toString(), 0, 0, "expected a folder for " + option + " (created if missing), found "
                + (p.equals(abs) ? kind : "that " + p + " is " + kind + ", not a folder") + "; give a folder name for " + option);
        }
    }

    /**
     * Replaces the file atomically: the text goes to a new temporary file {@code .NAME.N.tmp} in
     * the same folder (with the default permissions), which is then renamed over the target. On
     * any failure the previous file is untouched and the temporary file is removed. A symbolic
     * link is followed: the file it points to is replaced and the link stays. After the rename,
     * leftover temporary files of the same target (an earlier save that was killed) are removed:
     * only regular files whose names match {@code .NAME.N.tmp} exactly, N digits.
     *
     * @param path the file to replace or create
     * @param text its new content, written as UTF-8
     * @throws FormatException naming {@code path} (not the temporary file) when the file cannot
     *                         be written
     */
    public static void writeAtomically(Path path, String text) throws IOException {
        writeAtomically(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the file atomically with the bytes, exactly as {@link #writeAtomically(Path, String)}
     * does with text: for binary files such as an ONNX export.
     *
     * @param path  the file to replace or create
     * @param bytes the whole new content, not modified
     * @throws FormatException naming {@code path} (not the temporary file) when the file cannot
     *                         be written
     */
    public static void writeAtomically(Path path, byte[] bytes) throws IOException {
        checkWritable(path);
        Path target = target(path);
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new FormatException(path.toString(), 0, 0, "expected a regular file to write to, found a device, pipe or other special file");
        }
        Path tmp = null;
        try {
            tmp = newTemporary(target);
            unfinished = tmp;
            Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FormatException(path.toString(), 0, 0, "cannot write the file: " + reason(e) + "; the previous file, if any, is unchanged");
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
            unfinished = null;
        }
        removeLeftovers(target);
    }

    /** The file a write to {@code path} replaces: the absolute path, or the target of a symbolic link. */
    private static Path target(Path path) throws FormatException {
        Path abs = path.toAbsolutePath();
        if (!Files.isSymbolicLink(abs)) return abs;
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            throw new FormatException(path.toString(), 0, 0, "expected a file to write to, found a symbolic link to a missing file");
        }
    }

    /** Creates a new empty temporary file {@code .NAME.N.tmp} beside the target. */
    private static Path newTemporary(Path target) throws IOException {
        long n = System.nanoTime() & Long.MAX_VALUE;
        for (int attempt = 0; ; attempt++) {
            Path candidate = target.getParent().resolve("." + target.getFileName() + "." + (n + attempt) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // taken: try the next number
            }
        }
    }

    /** Removes the regular files {@code .NAME.N.tmp} (N digits) beside the target, left by an interrupted save. */
    private static void removeLeftovers(Path target) {
        Pattern ours = Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.[0-9]+\\.tmp");
        try (DirectoryStream<Path> folder = Files.newDirectoryStream(target.getParent())) {
            for (Path p : folder) {
                if (ours.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: the model is already saved; a leftover that cannot be removed is harmless.
        }
    }

    /**
     * "FILE: what went wrong" for a failed read or write, without the exception's class name.
     *
     * @param e the failure
     * @return a one-line description for an error message
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException && ((FileSystemException) e).getFile() != null) return ((FileSystemException) e).getFile() + ": " + reason(e);
        return reason(e);
    }

    /** What went wrong, in words, without the exception's class name. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) return ((FileSystemException) e).getReason();
        return e.getMessage() == null ? "an input/output error" : e.getMessage();
    }
}
