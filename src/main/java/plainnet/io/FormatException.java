package plainnet.io;

import java.io.IOException;

/**
 * A file that cannot be read as what it claims to be. The message always names the file, the
 * place (line and column, or field), what was expected and what was found, for example
 * {@code model.json:12:5: expected ',' or '}', found 'x'}.
 */
public final class FormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file name, line (1-based, 0 if none) and column (1-based, 0 if none). */
    public final String file;
    public final int line, column;

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
