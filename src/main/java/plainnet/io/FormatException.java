package plainnet.io;

import java.io.IOException;

/**
 * A file that cannot be read as what it claims to be. The message always names the file, the
 * place (line and column, or field), what was expected and what was found, for example
 * {@code model.json:12:5: expected ',' or '}', found 'x'}.
 */
public final class FormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file name as the user gave it. */
    public final String file;
    /** The line, 1-based; 0 when the place is a field rather than a line. */
    public final int line;
    /** The column, 1-based; 0 if none. */
    public final int column;

    /**
     * An error at a place of a file; the message becomes {@code file:line:column: message}, with
     * the line and column left out when they are 0.
     *
     * @param file    the file name
     * @param line    the line, 1-based, or 0
     * @param column  the column, 1-based, or 0
     * @param message what was expected and what was found
     */
    public FormatException(String file, int line, int column, String message) {
        super(place(file, line, column) + message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String place(String file, int line, int column) {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) s.append(':').append(line);
        if (column > 0) s.append(':').append(column);
        return s.append(": ").toString();
    }
}
