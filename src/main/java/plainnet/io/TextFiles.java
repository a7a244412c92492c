package plainnet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
     * @param what what the file should be, for messages ("a model file", "a data file")
     * @throws FormatException for a missing file, a folder, or bytes that are not UTF-8
     */
    public static String read(Path path, String what) throws IOException {
        if (Files.isDirectory(path)) throw new FormatException(path.toString(), 0, 0, "expected " + what + ", found a folder");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new FormatException(path.toString(), 0, 0, "expected " + what + ", found no such file");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(path.toString(), 0, 0, "expected UTF-8 text, found bytes that are not UTF-8");
        }
    }

    /**
     * Checks, before any work is done, that {@code path} can be written: it names a file (not a
     * folder) in a folder that exists.
     */
    public static void checkWritable(Path path) throws FormatException {
        Path abs = path.toAbsolutePath();
        if (abs.getFileName() == null || abs.getParent() == null) throw new FormatException(path.toString(), 0, 0, "expected a file name to write to, found none");
        if (Files.isDirectory(abs)) throw new FormatException(path.toString(), 0, 0, "expected a file to write to, found a folder");
        if (!Files.isDirectory(abs.getParent())) throw new FormatException(path.toString(), 0, 0, "expected an existing folder to write into, found no folder " + abs.getParent());
    }

    /**
     * Replaces the file atomically: the text goes to a new temporary file {@code .NAME.N.tmp} in
     * the same folder (with the default permissions), which is then renamed over the target. On
     * any failure the previous file is untouched and the temporary file is removed.
     */
    public static void writeAtomically(Path path, String text) throws IOException {
        checkWritable(path);
        Path abs = path.toAbsolutePath();
        Path tmp = null;
        for (int attempt = 0; tmp == null; attempt++) {
            Path candidate = abs.getParent().resolve("." + abs.getFileName() + "." + System.nanoTime() + "." + attempt + ".tmp");
            if (!Files.exists(candidate)) tmp = candidate;
        }
        unfinished = tmp;
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
            unfinished = null;
        }
    }
}
