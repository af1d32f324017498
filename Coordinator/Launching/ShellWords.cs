using System.Text;

namespace PortScan.Coordinator.Launching;

/// <summary>
/// Words as a POSIX shell reads them, both ways: <see cref="Split"/> reads <c>--ssh-args</c> and
/// <c>--slurm-args</c> as the user's shell would have, and <see cref="Quote"/> writes the one string
/// ssh hands to the remote shell, so that every argument arrives as exactly the word it was.
/// </summary>
public static class ShellWords
{
    /// <summary>
    /// Single quotes keep every character but the single quote itself, which is written
    /// <c>'\''</c> (close, an escaped quote, reopen). Nothing else is special inside them: not
    /// <c>$</c>, backquotes, <c>;</c>, <c>*</c>, spaces or newlines.
    /// </summary>
    public static string Quote(string word) => "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    /// <summary>Every word quoted, joined by spaces: one command line for a remote shell.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    /// <summary>
    /// Splits <paramref name="text"/> into words at unquoted blanks, as a shell does: single quotes
    /// keep everything, double quotes keep all but <c>\"</c>, <c>\\</c>, <c>\$</c> and <c>\`</c>, and a
    /// backslash outside quotes keeps the next character. No expansion of any kind is done.
    /// </summary>
    public static bool TrySplit(string text, out IReadOnlyList<string> words, out string error)
    {
        var result = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        words = result;
        error = "";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        result.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    continue;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        error = "a single quote is not closed";
                        return false;
                    }
                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }
                        word.Append(text[i]);
                        i++;
                    }
                    if (i == text.Length)
                    {
                        error = "a double quote is not closed";
                        return false;
                    }
                    break;
                case '\\':
                    if (i + 1 == text.Length)
                    {
                        error = "it ends with a backslash";
                        return false;
                    }
                    word.Append(text[++i]);
                    break;
                default:
                    word.Append(c);
                    break;
            }
            inWord = true;
        }
        if (inWord)
        {
            result.Add(word.ToString());
        }
        return true;
    }
}
