using System.Text;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Reads lines from a worker's stdout with a cap on their length. A worker gone wrong may write
/// without ever ending a line; <see cref="TextReader.ReadLineAsync()"/> would buffer it until the
/// coordinator ran out of memory.
/// </summary>
public sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;

    /// <summary>The next line; <c>TooLong</c> when it passed the cap (the rest of that line is skipped); null at end-of-file.</summary>
    public async Task<(string Text, bool TooLong)?> ReadLineAsync()
    {
        var tooLong = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await reader.ReadAsync(_buffer.AsMemory()).ConfigureAwait(false);
                if (_end == 0)
                {
                    return _line.Length > 0 || tooLong ? Take(tooLong) : null;
                }
            }
            var newline = Array.IndexOf(_buffer, '\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (!tooLong)
            {
                _line.Append(_buffer, _start, stop - _start);
                tooLong = _line.Length > maxLength;
            }
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Take(tooLong);
            }
        }
    }

    private (string, bool) Take(bool tooLong)
    {
        var text = _line.ToString().TrimEnd('\r');
        _line.Clear();
        return (tooLong ? text[..Math.Min(text.Length, 200)] : text, tooLong);
    }
}
